using Recsys.Data;
using Recsys.Data.SemanticIds;
using Recsys.Embeddings.SemanticIds.Schemes;

namespace Recsys.Embeddings.SemanticIds;

/// <summary>
/// Quality figures of a codes file: per level the codebook use (codes used / K) and perplexity (exp of the entropy of
/// the code distribution; K when all codes are equally used), the distinct prefixes (c1..cl); over all L levels the
/// distinct tuples, the items that need the disambiguation code (dedup &gt; 0: items − distinct tuples), the largest
/// collision group; and, when item attributes are given, the normalised mutual information between the first-level
/// code and the item's top category (<see cref="CategoryPaths"/>; arithmetic normalisation 2I / (H₁ + H₂), as
/// scikit-learn's default; items without attributes are left out).
/// </summary>
public sealed record SemanticIndexInfo
{
    public required string Method { get; init; }
    public required int Items { get; init; }
    public required int Levels { get; init; }
    public required IReadOnlyList<LevelInfo> PerLevel { get; init; }
    /// <summary>Distinct L-code tuples.</summary>
    public required int UniqueTuples { get; init; }
    /// <summary>UniqueTuples / Items: 1 when no item needs the disambiguation code.</summary>
    public double UniqueFraction => (double)UniqueTuples / Items;
    /// <summary>Items whose disambiguation code is above 0 (Items − UniqueTuples).</summary>
    public int ItemsNeedingLastCode => Items - UniqueTuples;
    public required int LargestCollisionGroup { get; init; }
    /// <summary>NMI of c1 with the top category; null without attributes.</summary>
    public double? TopCategoryNmi { get; init; }
    /// <summary>Items with a top category (those the NMI is computed on).</summary>
    public int? ItemsWithCategory { get; init; }

    /// <summary>The figures of <paramref name="codes"/>; <paramref name="attributes"/> (same catalog) adds the category agreement.</summary>
    public static SemanticIndexInfo Of(SemanticIdCodes codes, ItemAttributes? attributes = null)
    {
        ArgumentNullException.ThrowIfNull(codes);
        int n = codes.NumItems, levels = codes.Levels, w = codes.Width;
        var all = codes.All;
        var perLevel = new List<LevelInfo>(levels);
        var prefixes = new Dictionary<string, int>();
        int largest = 1, unique = 0;
        for (int l = 0; l < levels; l++)
        {
            int k = codes.Cardinalities[l];
            var counts = new int[k];
            for (int i = 0; i < n; i++) counts[all[i * w + l]]++;
            double entropy = 0;
            foreach (int c in counts)
                if (c > 0) { double p = (double)c / n; entropy -= p * Math.Log(p); }
            prefixes.Clear();
            for (int i = 0; i < n; i++)
            {
                var key = string.Join(',', all.Slice(i * w, l + 1).ToArray());
                prefixes[key] = prefixes.GetValueOrDefault(key) + 1;
            }
            if (l == levels - 1) { unique = prefixes.Count; largest = prefixes.Values.Max(); }
            perLevel.Add(new LevelInfo(l + 1, k, counts.Count(c => c > 0), Math.Exp(entropy), prefixes.Count));
        }
        double? nmi = null; int? withCategory = null;
        if (attributes is not null)
        {
            var paths = CategoryPaths.From(attributes, n);
            var first = new List<int>(); var top = new List<int>();
            for (int i = 0; i < n; i++)
                if (paths.Top(i) is var t and >= 0) { first.Add(all[i * w]); top.Add(t); }
            withCategory = first.Count;
            if (first.Count > 0) nmi = Nmi(first, top);
        }
        return new SemanticIndexInfo
        {
            Method = codes.Method, Items = n, Levels = levels, PerLevel = perLevel, UniqueTuples = unique,
            LargestCollisionGroup = largest, TopCategoryNmi = nmi, ItemsWithCategory = withCategory,
        };
    }

    /// <summary>2 I(a; b) / (H(a) + H(b)); 1 when both labelings are constant (they agree trivially).</summary>
    public static double Nmi(IReadOnlyList<int> a, IReadOnlyList<int> b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Count != b.Count || a.Count == 0) throw new ArgumentException("two labelings of the same non-empty set.");
        int n = a.Count;
        var joint = new Dictionary<(int, int), int>();
        var ca = new Dictionary<int, int>(); var cb = new Dictionary<int, int>();
        for (int i = 0; i < n; i++)
        {
            joint[(a[i], b[i])] = joint.GetValueOrDefault((a[i], b[i])) + 1;
            ca[a[i]] = ca.GetValueOrDefault(a[i]) + 1;
            cb[b[i]] = cb.GetValueOrDefault(b[i]) + 1;
        }
        static double H(IEnumerable<int> counts, int n) => -counts.Sum(c => (double)c / n * Math.Log((double)c / n));
        double ha = H(ca.Values, n), hb = H(cb.Values, n);
        if (ha + hb == 0) return 1;
        double mi = 0;
        foreach (var ((x, y), c) in joint)
            mi += (double)c / n * Math.Log((double)c * n / ((double)ca[x] * cb[y]));
        return Math.Clamp(2 * mi / (ha + hb), 0, 1);
    }
}

/// <summary>One level's figures: codes K, codes used, perplexity, and distinct prefixes (c1..c_level).</summary>
public sealed record LevelInfo(int Level, int Codes, int Used, double Perplexity, int UniquePrefixes)
{
    /// <summary>Used / Codes.</summary>
    public double Use => (double)Used / Codes;
}
