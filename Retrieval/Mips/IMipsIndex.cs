namespace Recsys.Retrieval.Mips;

/// <summary>
/// Exact maximum-inner-product search over a fixed item matrix (Count × Dim, row-major).
/// Every implementation returns the same ids for the same input: scores descending, ties broken by the
/// lower item id, excluded items never returned, and rows padded with id -1 / score -∞ when fewer than k
/// candidates remain. Ids are the index's own: rows 0..Count−1 for the base indexes, the external ids a wrapper such as
/// <see cref="IdMapIndex"/> maps them to, or global ids for a <see cref="ShardedIndex"/>; exclusion rows use the same ids.
/// Exact indexes agree with one another; approximate ones (<see cref="Int8MipsIndex"/>, a <see cref="RefineIndex"/>
/// over an approximate first pass) keep the ordering and padding rules but may miss a true result.
/// <para>
/// Thread safety: an index is immutable once built, and <see cref="Search"/> may be called concurrently from any
/// number of threads; every call allocates its own scratch and result arrays. Wrappers are as safe as what they wrap,
/// and every implementation in this folder is safe. <see cref="IDisposable.Dispose"/> must not race with a search.
/// </para>
/// </summary>
public interface IMipsIndex : IDisposable
{
    /// <summary>Number of indexed items.</summary>
    int Count { get; }

    /// <summary>Vector dimension.</summary>
    int Dim { get; }

    /// <summary>
    /// Top-<paramref name="k"/> items for each query. <paramref name="queries"/> is row-major
    /// [n, Dim]; exclusion row q (if given) lists the items query q must not return (sorted ascending). Returns
    /// ids and scores [n, k], best first. Safe to call concurrently.
    /// </summary>
    MipsResult Search(ReadOnlySpan<float> queries, int k, Exclusions? exclude = null);
}
