using System.Globalization;
using Recsys.Data.Splits;

namespace Recsys.Data.Import;

/// <summary>Options for <see cref="KgcnImporter"/>.</summary>
public sealed record KgcnImportOptions
{
    /// <summary>Folder with <c>user_artists.dat</c>, <c>item_index2entity_id.txt</c> and <c>kg.txt</c> (KGCN's data/music).</summary>
    public required string InputFolder { get; init; }
    public double TestRatio { get; init; } = 0.2;
    public int Seed { get; init; } = 42;
    public string? Name { get; init; }

    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(InputFolder)) throw new ArgumentException("an input folder is required.", nameof(InputFolder));
        new RandomSplitOptions { TestRatio = TestRatio, Seed = Seed }.Validate();
    }
}

/// <summary>
/// Imports KGCN's Last.FM music data (Wang et al. WWW 2019): HetRec <c>user_artists.dat</c> (header, tab separated
/// <c>userID artistID weight</c>), <c>item_index2entity_id.txt</c> (<c>artistID entityID</c>) and <c>kg.txt</c>
/// (<c>head relation-name tail</c>). As KGCN does, only artists linked to the KG are kept and item id = entity id.
/// Users get dense ids in ascending raw-id order; the listening count is the weight. Interactions are split per user
/// with <see cref="RandomSplit"/> (seeded). Relation ids follow first appearance in <c>kg.txt</c>. Entity ids obey the
/// <see cref="DenseIds"/> limit; weights must be finite; a repeated pair, link or triple is an error naming both lines.
/// </summary>
public static class KgcnImporter
{
    public const string RatingsFile = "user_artists.dat";
    public const string LinksFile = "item_index2entity_id.txt";
    public const string KgFile = "kg.txt";

    public static Dataset Import(KgcnImportOptions o)
    {
        o.Validate();
        if (!Directory.Exists(o.InputFolder)) throw new DataFormatException(o.InputFolder, 0, null, "input folder not found.");
        var links = TextSource.Open(Path.Combine(o.InputFolder, LinksFile), "artist-to-entity");
        var (entityOf, itemRaw) = ReadLinks(links);
        int numItems = itemRaw.Length;

        var ratings = TextSource.Open(Path.Combine(o.InputFolder, RatingsFile), "user-artist");
        var rawUsers = new List<int>(); var items = new List<int>(); var weights = new List<float>(); var lines = new List<int>();
        var reader = ratings.Lines();
        while (reader.Next(out var line))
        {
            var tok = new TokenReader(line, (byte)'\t');
            if (!tok.Next(out var a) || a.Trim(" "u8).IsEmpty) continue;
            long ln = reader.LineNumber;
            if (ln == 1 && !char.IsAsciiDigit((char)a[0])) continue; // header "userID\tartistID\tweight"
            int user = IdParser.Parse(a, ratings, ln, "userID");
            int artist = IdParser.Parse(tok.Next(out var b) ? b : default, ratings, ln, "artistID");
            if (!tok.Next(out var c) || !float.TryParse(c, NumberStyles.Float, CultureInfo.InvariantCulture, out float w))
                throw ratings.Error(ln, "weight", $"'{TextSource.Show(c)}' is not a number.");
            if (!float.IsFinite(w)) throw ratings.Error(ln, "weight", $"'{TextSource.Show(c)}' is not a finite number.");
            if (!entityOf.TryGetValue(artist, out int entity)) continue; // artist not in the KG: KGCN drops it
            rawUsers.Add(user); items.Add(entity); weights.Add(w); lines.Add((int)ln);
        }
        if (rawUsers.Count == 0) throw ratings.Error(0, null, $"no rows refer to an artist listed in {LinksFile}.");

        // Users: dense ids in ascending raw order (as the KGAT-layout derivation of this data does).
        var sortedUsers = rawUsers.Distinct().Order().ToArray();
        var denseOf = new Dictionary<int, int>(sortedUsers.Length);
        for (int i = 0; i < sortedUsers.Length; i++) denseOf[sortedUsers[i]] = i;
        var users = rawUsers.Select(r => denseOf[r]).ToArray();
        var all = new Interactions(users, items.ToArray(), null, weights.ToArray());
        PairChecks.RequireUnique(new ParsedInteractions(ratings.Path, all, lines.ToArray(), sortedUsers.Length - 1, numItems - 1)
        {
            UserRawIds = sortedUsers.Select(u => u.ToString(CultureInfo.InvariantCulture)).ToArray(),
            ItemRawIds = itemRaw,
        });

        var kg = KnowledgeGraphReader.ReadNamedRelations(TextSource.Open(Path.Combine(o.InputFolder, KgFile), "knowledge graph"), numItems);
        var split = new RandomSplit(new RandomSplitOptions { TestRatio = o.TestRatio, Seed = o.Seed });
        var s = SplitResult.Of(all, sortedUsers.Length, split);
        var prov = new Dictionary<string, string>
        {
            ["importer"] = "kgcn",
            ["input"] = Path.GetFullPath(o.InputFolder),
            ["split"] = split.Name,
        };
        foreach (var (k, v) in split.Settings) prov["split." + k] = v;
        return new Dataset
        {
            Name = o.Name ?? Path.GetFileName(Path.GetFullPath(o.InputFolder).TrimEnd(Path.DirectorySeparatorChar)),
            NumUsers = sortedUsers.Length,
            NumItems = numItems,
            Train = s.Train,
            Test = s.Test,
            UserRawIds = sortedUsers.Select(u => u.ToString(CultureInfo.InvariantCulture)).ToArray(),
            ItemRawIds = itemRaw,
            Knowledge = kg,
            Provenance = prov,
        };
    }

    /// <summary>artistID → entity id, and the raw artist id of each item (= entity) id 0..max linked entity.</summary>
    private static (Dictionary<int, int> EntityOf, string[] ItemRaw) ReadLinks(TextSource src)
    {
        var entityOf = new Dictionary<int, int>();
        var lineOfArtist = new Dictionary<int, long>();
        var lineOfEntity = new Dictionary<int, long>();
        var entities = new List<int>(); var entityLines = new List<int>();
        var reader = src.Lines();
        while (reader.Next(out var line))
        {
            var tok = new TokenReader(line);
            if (!tok.Next(out var a)) continue;
            long ln = reader.LineNumber;
            int artist = IdParser.Parse(a, src, ln, "artistID");
            int entity = IdParser.Parse(tok.Next(out var b) ? b : default, src, ln, "entityID");
            if (tok.Next(out var extra)) throw src.Error(ln, null, $"expected 2 fields (artistID entityID), found more ('{TextSource.Show(extra)}').");
            if (!entityOf.TryAdd(artist, entity)) throw src.Error(ln, "artistID", $"artist {artist} is already linked on line {lineOfArtist[artist]}.");
            lineOfArtist[artist] = ln;
            if (!lineOfEntity.TryAdd(entity, ln)) throw src.Error(ln, "entityID", $"entity {entity} is already linked on line {lineOfEntity[entity]}.");
            entities.Add(entity); entityLines.Add((int)ln);
        }
        int maxEntity = DenseIds.Check("entity", 0, new IdColumn(src.Path, "entityID", entities.ToArray(), entityLines.ToArray()));
        // Entity ids of linked artists are items 0..maxEntity; an id with no artist stays an item without a raw id.
        var raw = new string[maxEntity + 1];
        Array.Fill(raw, "");
        foreach (var (artist, entity) in entityOf) raw[entity] = artist.ToString(CultureInfo.InvariantCulture);
        return (entityOf, raw);
    }
}
