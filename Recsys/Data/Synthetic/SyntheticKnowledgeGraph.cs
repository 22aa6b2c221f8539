namespace Recsys.Data.Synthetic;

/// <summary>
/// The item knowledge graph of a synthetic dataset, shaped like KGAT's (items are entities 0..I-1). Entities after the
/// items: one genre per community, then artists (small groups of items of one community), then tags.
/// Relations: 0 "genre" item → its community's genre (a KgNoiseFraction share points at a wrong genre);
/// 1 "artist" item → artist; 2 "tag" item → a uniformly random tag (pure noise); 3 "artist_genre" artist → genre.
/// KG-only items always get their true genre and join an artist group of warm items, so the KG links them to what
/// their community's users already like.
/// </summary>
internal static class SyntheticKnowledgeGraph
{
    public static readonly string[] RelationNames = ["genre", "artist", "tag", "artist_genre"];

    public static KnowledgeTriples Build(SyntheticRandom rng, SyntheticOptions o, int[] itemCommunity, bool[] isCold)
    {
        int items = o.Items, c = o.Communities;
        int genre0 = items, artist0 = items + c;
        var h = new List<int>(); var r = new List<int>(); var t = new List<int>();
        void Add(int head, int rel, int tail) { h.Add(head); r.Add(rel); t.Add(tail); }

        for (int i = 0; i < items; i++)
        {
            int g = itemCommunity[i];
            if (!isCold[i] && c > 1 && rng.NextDouble() < o.KgNoiseFraction) g = (g + 1 + rng.Next(c - 1)) % c;
            Add(i, 0, genre0 + g);
        }

        // Artists: warm items of each community shuffled and cut into groups; cold items join a random group of theirs.
        int nextArtist = artist0;
        for (int k = 0; k < c; k++)
        {
            var warmItems = Enumerable.Range(0, items).Where(i => itemCommunity[i] == k && !isCold[i]).ToArray();
            rng.Shuffle<int>(warmItems);
            int first = nextArtist;
            for (int j = 0; j < warmItems.Length; j++)
            {
                if (j % o.ArtistGroupSize == 0) Add(nextArtist++, 3, genre0 + k);
                Add(warmItems[j], 1, nextArtist - 1);
            }
            int groups = nextArtist - first;
            for (int i = 0; i < items; i++)
                if (itemCommunity[i] == k && isCold[i]) Add(i, 1, first + rng.Next(groups));
        }

        int tag0 = nextArtist, tags = Math.Max(2, 2 * c);
        for (int i = 0; i < items; i++) Add(i, 2, tag0 + rng.Next(tags));
        return new KnowledgeTriples(h.ToArray(), r.ToArray(), t.ToArray(), tag0 + tags, RelationNames.ToArray());
    }

    /// <summary>
    /// The items' genre and artist as attributes ("genre-G", "artist-A", numbered from 0 in entity order); tags are
    /// left out (they are pure noise).
    /// </summary>
    public static ItemAttributes Attributes(KnowledgeTriples kg, int items)
    {
        var kept = new Dictionary<int, int>(); // entity → attribute id
        var names = new List<string>();
        var attrItems = new List<int>(); var attrIds = new List<int>();
        int artists = 0;
        for (int e = 0; e < kg.Count; e++)
        {
            int rel = kg.Relations[e];
            if (kg.Heads[e] >= items || rel > 1) continue;
            int tail = kg.Tails[e];
            if (!kept.TryGetValue(tail, out int id))
            {
                kept[tail] = id = names.Count;
                names.Add(rel == 0 ? $"genre-{tail - items}" : $"artist-{artists++}");
            }
            attrItems.Add(kg.Heads[e]); attrIds.Add(id);
        }
        return new ItemAttributes([.. attrItems], [.. attrIds], [.. names]);
    }
}
