namespace Recsys.Retrieval.Mips;

/// <summary>The argument checks every <see cref="IMipsIndex"/> shares, with the same messages.</summary>
public static class MipsArguments
{
    /// <summary>Checks dim ≥ 1 and that <paramref name="items"/> is whole rows; returns the item count.</summary>
    public static int ItemCount(ReadOnlySpan<float> items, int dim)
    {
        if (dim < 1) throw new ArgumentOutOfRangeException(nameof(dim), dim, "must be ≥ 1.");
        if (items.Length % dim != 0) throw new ArgumentException($"items has {items.Length} floats, not a multiple of dim {dim}.", nameof(items));
        return items.Length / dim;
    }

    /// <summary>Checks k ≥ 1, that <paramref name="queries"/> is whole rows and that the exclusions have one row per query; returns the query count.</summary>
    public static int QueryCount(ReadOnlySpan<float> queries, int dim, int k, Exclusions? exclude)
    {
        if (k < 1) throw new ArgumentOutOfRangeException(nameof(k), k, "must be ≥ 1.");
        if (queries.Length % dim != 0) throw new ArgumentException($"queries has {queries.Length} floats, not a multiple of dim {dim}.", nameof(queries));
        int n = queries.Length / dim;
        if (exclude is not null && exclude.Rows != n) throw new ArgumentException($"exclusions have {exclude.Rows} rows for {n} queries.", nameof(exclude));
        return n;
    }
}
