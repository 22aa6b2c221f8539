using System.Globalization;
using System.Text;
using Recsys.Data.Splits;

namespace Recsys.Data.Import;

/// <summary>Options for <see cref="SequenceImporter"/>.</summary>
public sealed record SequenceImportOptions
{
    /// <summary>One user per line: <c>user item item ...</c> in time order, 1-based raw ids (S3-Rec's Beauty.txt).</summary>
    public required string InputFile { get; init; }
    /// <summary>Optional <c>item_id\tasin\tattributes</c> file (header line; names joined by '|').</summary>
    public string? AttributesFile { get; init; }
    public string? Name { get; init; }

    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(InputFile)) throw new ArgumentException("--input is required.", nameof(InputFile));
    }
}

/// <summary>
/// Imports time-ordered sequences (the S3-Rec / P5 / TIGER layout) with the leave-one-out protocol: per user the last
/// item goes to test, the second-to-last to validation, the rest to train (see <see cref="LeaveOneOutSplit"/>). Raw ids
/// are 1-based integers: dense id = raw − 1, so NumUsers / NumItems = largest raw id. The timestamp of a row is its
/// 0-based position in the user's sequence. A repeated item within one sequence is an error.
/// </summary>
public static class SequenceImporter
{
    public static Dataset Import(SequenceImportOptions o)
    {
        o.Validate();
        var src = TextSource.Open(o.InputFile, "sequence");
        var users = new List<int>(); var items = new List<int>(); var times = new List<long>(); var lines = new List<int>();
        int maxUser = 0, maxItem = 0;
        var reader = src.Lines();
        while (reader.Next(out var line))
        {
            var tok = new TokenReader(line);
            if (!tok.Next(out var a)) continue;
            long ln = reader.LineNumber;
            int u = OneBased(a, src, ln, "user");
            maxUser = Math.Max(maxUser, u + 1);
            long pos = 0;
            while (tok.Next(out var b))
            {
                int i = OneBased(b, src, ln, "item");
                maxItem = Math.Max(maxItem, i + 1);
                users.Add(u); items.Add(i); times.Add(pos++); lines.Add((int)ln);
            }
        }
        var all = new Interactions(users.ToArray(), items.ToArray(), times.ToArray());
        PairChecks.RequireUnique(new ParsedInteractions(src.Path, all, lines.ToArray(), maxUser - 1, maxItem - 1));

        ItemAttributes? attributes = null;
        if (o.AttributesFile is { Length: > 0 } af)
        {
            attributes = ReadAttributes(TextSource.Open(af, "attributes"), ref maxItem);
        }
        var split = new LeaveOneOutSplit(new LeaveOneOutOptions { HoldOutValid = true });
        var s = SplitResult.Of(all, maxUser, split);
        var prov = new Dictionary<string, string>
        {
            ["importer"] = "sequences",
            ["input"] = Path.GetFullPath(o.InputFile),
            ["split"] = split.Name,
            ["split.valid"] = "true",
            ["timestamp"] = "position in the user's sequence",
        };
        if (o.AttributesFile is { Length: > 0 }) prov["attributes"] = Path.GetFullPath(o.AttributesFile);
        return new Dataset
        {
            Name = o.Name ?? Path.GetFileNameWithoutExtension(o.InputFile),
            NumUsers = maxUser,
            NumItems = maxItem,
            Train = s.Train,
            Valid = s.Valid,
            Test = s.Test,
            UserRawIds = OneBasedNames(maxUser),
            ItemRawIds = OneBasedNames(maxItem),
            Attributes = attributes,
            Provenance = prov,
        };
    }

    /// <summary>Reads <c>item_id\tasin\tattributes</c>; attribute ids follow first appearance. Items beyond the sequences extend the item range.</summary>
    private static ItemAttributes ReadAttributes(TextSource src, ref int numItems)
    {
        var names = new IdMap();
        var items = new List<int>(); var attrs = new List<int>();
        var reader = src.Lines();
        while (reader.Next(out var line))
        {
            var tok = new TokenReader(line, (byte)'\t');
            if (!tok.Next(out var a) || a.Trim(" "u8).IsEmpty) continue;
            long ln = reader.LineNumber;
            if (ln == 1 && !char.IsAsciiDigit((char)a[0])) continue; // header
            int item = OneBased(a, src, ln, "item_id");
            numItems = Math.Max(numItems, item + 1);
            if (!tok.Next(out _)) throw src.Error(ln, "asin", "missing value.");
            if (!tok.Next(out var list) || list.IsEmpty) continue; // an item without attributes
            // Names are kept verbatim: S3-Rec's data has an empty brand name ("|Makeup|...") that counts as an attribute.
            var parts = new TokenReader(list, (byte)'|');
            while (parts.Next(out var n))
            {
                items.Add(item);
                attrs.Add(names.GetOrAdd(Encoding.UTF8.GetString(n)));
            }
        }
        return new ItemAttributes(items.ToArray(), attrs.ToArray(), names.RawIds.ToArray());
    }

    private static int OneBased(ReadOnlySpan<byte> token, TextSource src, long line, string field)
    {
        int raw = IdParser.Parse(token, src, line, field);
        if (raw == 0) throw src.Error(line, field, "id 0 found, but ids in this format are 1-based.");
        return raw - 1;
    }

    private static string[] OneBasedNames(int n)
    {
        var s = new string[n];
        for (int i = 0; i < n; i++) s[i] = (i + 1).ToString(CultureInfo.InvariantCulture);
        return s;
    }
}
