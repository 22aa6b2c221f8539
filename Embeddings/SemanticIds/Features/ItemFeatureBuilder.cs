using Recsys.Data;
using Recsys.Embeddings.FastRp;

namespace Recsys.Embeddings.SemanticIds.Features;

/// <summary>
/// Builds dense item features (<c>item_features.arrow</c>) from blocks: each block is computed, standardised per
/// dimension (zero mean, unit variance; constant columns only centred), and the blocks are concatenated in order.
/// </summary>
public static class ItemFeatureBuilder
{
    /// <summary>The features of <paramref name="data"/>'s items and, per block, its name and width.</summary>
    public static (ItemFeatures Features, IReadOnlyList<(string Name, int Dim)> Blocks) Build(Dataset data, IReadOnlyList<IItemFeatureBlock> blocks)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(blocks);
        if (blocks.Count == 0) throw new ArgumentException("give at least one feature block.", nameof(blocks));
        int n = data.NumItems;
        if (n < 1) throw new ArgumentException($"dataset '{data.Name}' has no items.", nameof(data));
        var parts = new List<(float[] X, int Dim)>();
        var names = new List<(string, int)>();
        foreach (var b in blocks)
        {
            var x = b.Build(data, out int dim);
            if (x.Length != (long)n * dim) throw new InvalidOperationException($"feature block {b.Name} made {x.Length} values for {n} items × {dim}.");
            int bad = Array.FindIndex(x, v => !float.IsFinite(v));
            if (bad >= 0)
                throw new ArgumentException($"feature block {b.Name}: item {bad / dim} column {bad % dim} is {x[bad]}; features must be finite.");
            FastRpEmbedder.StandardizeColumns(x, n, dim);
            parts.Add((x, dim));
            names.Add((b.Name, dim));
        }
        int total = parts.Sum(p => p.Dim);
        var all = new float[(long)n * total];
        for (int i = 0; i < n; i++)
        {
            int offset = 0;
            foreach (var (x, dim) in parts)
            {
                x.AsSpan(i * dim, dim).CopyTo(all.AsSpan(i * total + offset, dim));
                offset += dim;
            }
        }
        return (new ItemFeatures(n, total, all), names);
    }
}
