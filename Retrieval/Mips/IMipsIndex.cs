namespace Recsys.Retrieval.Mips;

/// <summary>
/// Exact maximum-inner-product search over a fixed item matrix (Count × Dim, row-major).
/// Every implementation returns the same ids for the same input: scores descending, ties broken by the
/// lower item id, excluded items never returned, and rows padded with id -1 / score -∞ when fewer than k
/// candidates remain.
/// </summary>
public interface IMipsIndex : IDisposable
{
    /// <summary>Number of indexed items.</summary>
    int Count { get; }

    /// <summary>Vector dimension.</summary>
    int Dim { get; }

    /// <summary>
    /// Top-<paramref name="k"/> items for each query. <paramref name="queries"/> is row-major
    /// [n, Dim]; exclusion row q (if given) lists the items query q must not return.
    /// </summary>
    MipsResult Search(ReadOnlySpan<float> queries, int k, Exclusions? exclude = null);
}
