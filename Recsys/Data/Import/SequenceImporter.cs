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
        if (string.IsNullOrWhiteSpace(InputFile)) throw new ArgumentException("a sequence file is required.", nameof(InputFile));
    }
}

/// <summary>
/// Imports time-ordered sequences (the S3-Rec / P5 / TIGER layout) with the leave-one-out protocol: per user the last
/// item goes to test, the second-to-last to validation, the rest to train (see <see cref="LeaveOneOutSplit"/>). Raw ids
/// are 1-based integers: dense id = raw − 1, so NumUsers / NumItems = largest raw id. The timestamp of a row is its
/// 0-based position in the user's sequence. Ids obey the <see cref="DenseIds"/> limit. Repeated records are errors naming
/// both lines: an item repeated within one sequence, a user with two sequence lines, an item with two attribute lines.
/// </summary>
public static class SequenceImporter
{
    public static Dataset Import(SequenceImportOptions o)
    {
        o.Validate();
        var src = TextSource.Open(o.InputFile, "sequence");
        var users = new List<int>(); var items = new List<int>(); var times = new List<long>(); var lines = new List<int>();
        var lineUsers = new List<int>(); var lineUserLines = new List<int>();
        var reader = src.Lines();
        while (reader.Next(out var line))
        {
            var tok = new TokenReader(line);
            if (!tok.Next(out var a)) continue;
            long ln = reader.LineNumber;
            int u = OneBased(a, src, ln, "user");
            lineUsers.Add(u); lineUserLines.Add((int)ln);
            long pos = 0;
            while (tok.Next(out var b))
            {
                int i = OneBased(b, src, ln, "item");
                users.Add(u); items.Add(i); times.Add(pos++); lines.Add((int)ln);
            }
        }
        var userColumn = new IdColumn(src.Path, "user", lineUsers.ToArray(), lineUserLines.ToArray(), RawBase: 1);
        var itemColumn = new IdColumn(src.Path, "item", items.ToArray(), lines.ToArray(), RawBase: 1);
        int maxUser = DenseIds.Check("user", 0, userColumn) + 1;
        RequireOneLinePerUser(src, userColumn, maxUser);

        ItemAttributes? attributes = null;
        IdColumn? attributeItems = null;
        if (o.AttributesFile is { Length: > 0 } af)
        {
            (attributes, attributeItems) = ReadAttributes(TextSource.Open(af, "attributes"));
        }
        int maxItem = (attributeItems is { } ai ? DenseIds.Check("item", 0, itemColumn, ai) : DenseIds.Check("item", 0, itemColumn)) + 1;
        var all = new Interactions(users.ToArray(), itemColumn.Ids, times.ToArray());
        PairChecks.RequireUnique(new ParsedInteractions(src.Path, all, itemColumn.Lines, maxUser - 1, maxItem - 1)
        {
            UserRawIds = OneBasedNames(maxUser), ItemRawIds = OneBasedNames(maxItem),
        });
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

    /// <summary>A user's sequence is one line: a second line for the same user is a repeated record.</summary>
    private static void RequireOneLinePerUser(TextSource src, IdColumn users, int numUsers)
    {
        var lineOf = new int[numUsers];
        for (int k = 0; k < users.Ids.Length; k++)
        {
            int u = users.Ids[k];
            if (lineOf[u] != 0)
                throw src.Error(users.Lines[k], "user", $"user {u + 1} already has a sequence on line {lineOf[u]}; each user's sequence must be one line. Repeated records are errors in every importer.");
            lineOf[u] = users.Lines[k];
        }
    }

    /// <summary>
    /// Reads <c>item_id\tasin\tattributes</c>; attribute ids follow first appearance. Items beyond the sequences extend
    /// the item range. Names repeated within one item's list are kept (they are category levels, as in S3-Rec's data).
    /// </summary>
    private static (ItemAttributes Attributes, IdColumn Items) ReadAttributes(TextSource src)
    {
        var names = new IdMap();
        var items = new List<int>(); var attrs = new List<int>();
        var lineItems = new List<int>(); var lineNumbers = new List<int>();
        var lineOfItem = new Dictionary<int, long>();
        var reader = src.Lines();
        while (reader.Next(out var line))
        {
            var tok = new TokenReader(line, (byte)'\t');
            if (!tok.Next(out var a) || a.Trim(" "u8).IsEmpty) continue;
            long ln = reader.LineNumber;
            if (ln == 1 && !char.IsAsciiDigit((char)a[0])) continue; // header
            int item = OneBased(a, src, ln, "item_id");
            if (!lineOfItem.TryAdd(item, ln))
                throw src.Error(ln, "item_id", $"item {item + 1} already has attributes on line {lineOfItem[item]}. Repeated records are errors in every importer.");
            lineItems.Add(item); lineNumbers.Add((int)ln);
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
        return (new ItemAttributes(items.ToArray(), attrs.ToArray(), names.RawIds.ToArray()),
            new IdColumn(src.Path, "item_id", lineItems.ToArray(), lineNumbers.ToArray(), RawBase: 1));
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
