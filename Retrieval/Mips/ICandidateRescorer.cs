namespace Recsys.Retrieval.Mips;

/// <summary>
/// The exact second stage of a <see cref="RefineIndex"/>: scores given candidate rows of a query exactly and keeps the
/// best k. Implemented over FP32 vectors by <see cref="Fp32Rescorer"/>; any exact store that can score chosen rows
/// (a memory-mapped matrix, a remote feature store) can implement it. Must be safe to call concurrently.
/// </summary>
public interface ICandidateRescorer
{
    /// <summary>Number of items candidates may refer to (ids 0..Count−1).</summary>
    int Count { get; }

    /// <summary>Vector dimension.</summary>
    int Dim { get; }

    /// <summary>
    /// For each query of <paramref name="queries"/> (row-major [n, Dim]) the top <paramref name="k"/> of its
    /// candidates — row q of <paramref name="candidates"/> (row-major [n, perQuery], −1 entries skipped, ids distinct
    /// within a row) — by exact score: [n, k] best first, ties by lower id, −∞ and NaN never returned, padded −1 / −∞.
    /// </summary>
    MipsResult Rerank(ReadOnlySpan<float> queries, ReadOnlySpan<int> candidates, int perQuery, int k);
}
