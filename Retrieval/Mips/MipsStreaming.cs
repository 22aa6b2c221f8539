namespace Recsys.Retrieval.Mips;

/// <summary>
/// Streaming search over any <see cref="IMipsIndex"/>: queries are answered block by block and each block's result is
/// handed to a callback, so full-ranking evaluation over e.g. 50k users × 90k items never holds more than one block.
/// </summary>
public static class MipsStreaming
{
    /// <summary>Default queries per block: large enough that per-block overhead vanishes, small enough to stay in cache-friendly memory.</summary>
    public const int DefaultBlock = 4096;

    /// <summary>
    /// Calls <paramref name="onBlock"/>(firstQuery, result) for consecutive blocks of at most <paramref name="blockSize"/>
    /// queries, in order; row r of the block's result is query firstQuery + r. The concatenated blocks equal
    /// <see cref="IMipsIndex.Search"/> on all queries.
    /// </summary>
    public static void SearchBlocks(this IMipsIndex index, ReadOnlySpan<float> queries, int k, Exclusions? exclude,
        Action<int, MipsResult> onBlock, int blockSize = DefaultBlock)
    {
        ArgumentNullException.ThrowIfNull(onBlock);
        if (blockSize < 1) throw new ArgumentOutOfRangeException(nameof(blockSize), blockSize, "must be ≥ 1.");
        if (queries.Length % index.Dim != 0) throw new ArgumentException($"queries has {queries.Length} floats, not a multiple of dim {index.Dim}.", nameof(queries));
        int n = queries.Length / index.Dim;
        if (exclude is not null && exclude.Rows != n) throw new ArgumentException($"exclusions have {exclude.Rows} rows for {n} queries.", nameof(exclude));
        for (int q0 = 0; q0 < n; q0 += blockSize)
        {
            int nb = Math.Min(blockSize, n - q0);
            onBlock(q0, index.Search(queries.Slice(q0 * index.Dim, nb * index.Dim), k, exclude?.Slice(q0, nb)));
        }
    }
}
