using System.Globalization;
using System.Text;

namespace Recsys.Data.Import;

/// <summary>Options for <see cref="CsvImporter"/>. Columns are header names, or 0-based indices when there is no header.</summary>
public sealed record CsvImportOptions
{
    public required string InputFile { get; init; }
    public required string UserColumn { get; init; }
    public required string ItemColumn { get; init; }
    /// <summary>Optional rating column; its value becomes the interaction weight.</summary>
    public string? RatingColumn { get; init; }
    /// <summary>Keep only rows with rating ≥ this (needs <see cref="RatingColumn"/>).</summary>
    public double? MinRating { get; init; }
    /// <summary>Optional time column: integer (e.g. Unix seconds) or an ISO-8601 date (stored as Unix seconds).</summary>
    public string? TimeColumn { get; init; }
    public char Delimiter { get; init; } = ',';
    public bool HasHeader { get; init; } = true;
    public string? Name { get; init; }

    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(InputFile)) throw new ArgumentException("an input file is required.", nameof(InputFile));
        if (string.IsNullOrWhiteSpace(UserColumn)) throw new ArgumentException("a user column is required.", nameof(UserColumn));
        if (string.IsNullOrWhiteSpace(ItemColumn)) throw new ArgumentException("an item column is required.", nameof(ItemColumn));
        if (MinRating is not null && RatingColumn is null) throw new ArgumentOutOfRangeException(nameof(MinRating), "a minimum rating needs a rating column.");
        if (MinRating is { } m && !double.IsFinite(m)) throw new ArgumentOutOfRangeException(nameof(MinRating), m, "the minimum rating must be a finite number.");
        if (Delimiter is '"' or '\n' or '\r' || Delimiter > 127) throw new ArgumentOutOfRangeException(nameof(Delimiter), Delimiter, "must be a single ASCII character other than a quote or newline.");
    }
}

/// <summary>
/// Imports a delimited text file of interactions with arbitrary string ids, mapped to dense ids in order of first
/// appearance (raw ids are kept). Everything goes to train with an empty test set: run a split afterwards
/// (<see cref="Splits.DatasetSplit"/>). Double-quoted fields (with "" escapes) are understood; a repeated
/// (user, item) pair is an error naming both lines and the raw ids; ratings must be finite numbers.
/// </summary>
public static class CsvImporter
{
    public static Dataset Import(CsvImportOptions o)
    {
        o.Validate();
        var src = TextSource.Open(o.InputFile, "csv");
        byte delim = (byte)o.Delimiter;
        var reader = src.Lines();
        var fields = new List<string>();
        string[]? header = null;
        if (o.HasHeader)
        {
            while (reader.Next(out var first))
            {
                if (first.Trim(" \t"u8).IsEmpty) continue;
                CsvFields.Split(first, delim, fields, src, reader.LineNumber);
                header = fields.ToArray();
                break;
            }
        }
        int Col(string? name, string concept, string param)
        {
            if (name is null) return -1;
            if (header is not null)
            {
                int k = Array.IndexOf(header, name);
                if (k >= 0) return k;
                if (!int.TryParse(name, out _))
                    throw new DataFormatException(src.Path, 1, concept, $"no column named '{name}' in the header ({string.Join(", ", header)}).");
            }
            if (!int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out int idx))
                throw new ArgumentException($"{concept} '{name}': without a header, columns are 0-based indices.", param);
            return idx;
        }
        int uc = Col(o.UserColumn, "user column", nameof(o.UserColumn)), ic = Col(o.ItemColumn, "item column", nameof(o.ItemColumn));
        int rc = Col(o.RatingColumn, "rating column", nameof(o.RatingColumn)), tc = Col(o.TimeColumn, "time column", nameof(o.TimeColumn));
        int need = Math.Max(Math.Max(uc, ic), Math.Max(rc, tc));

        var userMap = new IdMap(); var itemMap = new IdMap();
        var users = new List<int>(); var items = new List<int>(); var lines = new List<int>();
        var weights = rc >= 0 ? new List<float>() : null;
        var times = tc >= 0 ? new List<long>() : null;
        while (reader.Next(out var line))
        {
            if (line.Trim(" \t"u8).IsEmpty) continue;
            long ln = reader.LineNumber;
            CsvFields.Split(line, delim, fields, src, ln);
            if (fields.Count <= need)
                throw src.Error(ln, null, $"expected at least {(long)need + 1} fields separated by '{o.Delimiter}', found {fields.Count}.");
            float w = 1;
            if (rc >= 0)
            {
                if (!float.TryParse(fields[rc], NumberStyles.Float, CultureInfo.InvariantCulture, out w))
                    throw src.Error(ln, o.RatingColumn, $"'{Show(fields[rc])}' is not a number.");
                if (!float.IsFinite(w))
                    throw src.Error(ln, o.RatingColumn, $"'{Show(fields[rc])}' is not a finite number (ratings become weights and must be finite).");
                if (o.MinRating is { } min && w < min) continue;
            }
            long t = 0;
            if (tc >= 0) t = ParseTime(fields[tc], src, ln, o.TimeColumn!);
            string ur = fields[uc], ir = fields[ic];
            if (ur.Length == 0) throw src.Error(ln, o.UserColumn, "empty user id.");
            if (ir.Length == 0) throw src.Error(ln, o.ItemColumn, "empty item id.");
            users.Add(userMap.GetOrAdd(ur)); items.Add(itemMap.GetOrAdd(ir)); lines.Add((int)ln);
            weights?.Add(w); times?.Add(t);
        }
        if (users.Count == 0) throw src.Error(0, null, "no interactions (after the rating filter).");
        var all = new Interactions(users.ToArray(), items.ToArray(), times?.ToArray(), weights?.ToArray());
        PairChecks.RequireUnique(new ParsedInteractions(src.Path, all, lines.ToArray(), userMap.Count - 1, itemMap.Count - 1)
        {
            UserRawIds = userMap.RawIds, ItemRawIds = itemMap.RawIds,
        });
        var prov = new Dictionary<string, string> { ["importer"] = "csv", ["input"] = Path.GetFullPath(o.InputFile) };
        if (o.MinRating is { } mr) prov["min_rating"] = mr.ToString(CultureInfo.InvariantCulture);
        return new Dataset
        {
            Name = o.Name ?? Path.GetFileNameWithoutExtension(o.InputFile),
            NumUsers = userMap.Count,
            NumItems = itemMap.Count,
            Train = all,
            // Same columns as train so that a later re-split keeps timestamps and weights.
            Test = new Interactions([], [], times is null ? null : [], weights is null ? null : []),
            UserRawIds = userMap.RawIds.ToArray(),
            ItemRawIds = itemMap.RawIds.ToArray(),
            Provenance = prov,
        };
    }

    private static long ParseTime(string s, TextSource src, long line, string field)
    {
        if (long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out long t)) return t;
        // ±2^63 is the long range; a double at or beyond it would convert to an unspecified value.
        if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) && double.IsFinite(d) && Math.Abs(d) < 9.2e18) return (long)d;
        if (DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var dt)) return dt.ToUnixTimeSeconds();
        throw src.Error(line, field, $"'{Show(s)}' is neither an integer time within ±9.2e18 nor a date.");
    }

    /// <summary>A field as shown in an error message (cut to 40 characters).</summary>
    private static string Show(string s) => s.Length > 40 ? string.Concat(s.AsSpan(0, 40), "…") : s;
}

/// <summary>Splits one delimited line into fields, honouring double quotes ("a,b" and "" escapes).</summary>
internal static class CsvFields
{
    public static void Split(ReadOnlySpan<byte> line, byte delim, List<string> fields, TextSource src, long ln)
    {
        fields.Clear();
        int i = 0;
        while (true)
        {
            if (i < line.Length && line[i] == (byte)'"')
            {
                var sb = new StringBuilder();
                int j = i + 1;
                while (true)
                {
                    int q = line[j..].IndexOf((byte)'"');
                    if (q < 0) throw src.Error(ln, null, "unterminated quoted field (quoted fields cannot span lines).");
                    sb.Append(Encoding.UTF8.GetString(line.Slice(j, q)));
                    j += q + 1;
                    if (j < line.Length && line[j] == (byte)'"') { sb.Append('"'); j++; continue; }
                    break;
                }
                fields.Add(sb.ToString());
                if (j >= line.Length) return;
                if (line[j] != delim) throw src.Error(ln, null, $"unexpected text after a quoted field at column {j + 1}.");
                i = j + 1;
                continue;
            }
            int d = line[i..].IndexOf(delim);
            var f = d < 0 ? line[i..] : line.Slice(i, d);
            fields.Add(Encoding.UTF8.GetString(f.Trim(" "u8)));
            if (d < 0) return;
            i += d + 1;
        }
    }
}
