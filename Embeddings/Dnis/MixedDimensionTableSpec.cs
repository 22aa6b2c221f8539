using Recsys.Tables;

namespace Recsys.Embeddings.Dnis;

/// <summary>
/// A <see cref="MixedDimensionTable"/>: ids in frequency blocks of <see cref="Fractions"/>, block b keeping the columns
/// <see cref="Kept"/>[b] of the model's width. A DNIS search prunes to one (<see cref="DnisPruning"/>); given by hand,
/// the first w_b columns of each block form a frequency-tiered baseline.
/// </summary>
public sealed record MixedDimensionTableSpec(IReadOnlyList<double> Fractions, IReadOnlyList<IReadOnlyList<int>> Kept) : EmbeddingTableSpec
{
    public double Std { get; init; } = 0.1;

    public override EmbeddingTable Create(TableContext ctx)
    {
        FrequencyBlocks.Check(Fractions, ctx.Count, ctx.Side.ToString().ToLowerInvariant());
        CheckKept(Kept, Fractions.Count, ctx.Dim);
        return new MixedDimensionTable(FrequencyBlocks.Of(ctx, Fractions), Kept, ctx.Dim, Std, ctx.Seed);
    }

    public override int? RowsFor(int ids) => ids;

    /// <summary>Block b keeps its first <paramref name="widths"/>[b] columns; equal fractions.</summary>
    public static MixedDimensionTableSpec FirstColumns(IReadOnlyList<int> widths) =>
        new(FrequencyBlocks.Equal(widths.Count), widths.Select(w => (IReadOnlyList<int>)Enumerable.Range(0, w).ToArray()).ToArray());

    /// <summary>One list of sorted, distinct columns in 0..dim-1 per block.</summary>
    public static void CheckKept(IReadOnlyList<IReadOnlyList<int>> kept, int blocks, int dim)
    {
        ArgumentNullException.ThrowIfNull(kept, nameof(Kept));
        if (kept.Count != blocks) throw new ArgumentOutOfRangeException(nameof(Kept), kept.Count, $"expected the kept columns of {blocks} blocks.");
        for (int b = 0; b < kept.Count; b++)
            for (int c = 0; c < kept[b].Count; c++)
                if (kept[b][c] < 0 || kept[b][c] >= dim || c > 0 && kept[b][c] <= kept[b][c - 1])
                    throw new ArgumentOutOfRangeException(nameof(Kept), $"block {b}: kept columns must be increasing and within 0..{dim - 1} (the model's width).");
    }

    public bool Equals(MixedDimensionTableSpec? other) => other is not null && Fractions.SequenceEqual(other.Fractions) && Std == other.Std
        && Kept.Count == other.Kept.Count && Kept.Zip(other.Kept).All(p => p.First.SequenceEqual(p.Second));

    public override int GetHashCode() => HashCode.Combine(Fractions.Count, Kept.Count, Std);
}
