namespace Recsys.Retrieval.Mips;

/// <summary>
/// Per-call parameters of a filtered search (<see cref="IdMapIndex.Search(ReadOnlySpan{float}, MipsSearchRequest)"/>):
/// how many results, which ids each query must not return, and which ids alone may be returned. A request is an
/// immutable value, so concurrent searches with different filters never share state.
/// </summary>
public sealed record MipsSearchRequest
{
    /// <summary>Results per query (k ≥ 1).</summary>
    public int K { get; init; } = 10;

    /// <summary>Deny list: per-query sorted ids (in the searched index's ids) that query q must not return; null = none.</summary>
    public Exclusions? Exclude { get; init; }

    /// <summary>
    /// Allow list shared by every query of the call: only these ids may be returned (any order, duplicates and unknown
    /// ids ignored); null = every id. An empty list returns only padding.
    /// </summary>
    public IReadOnlyList<int>? Allow { get; init; }

    /// <summary>
    /// With an allow list, the first pass fetches ⌈K·AllowOverFetch⌉ results and keeps the allowed ones; queries left
    /// with fewer than K certain results are searched again with the filter pushed into the search (exact). Larger
    /// values make the second pass rarer when the allow list is a large share of the items.
    /// </summary>
    public double AllowOverFetch { get; init; } = 2;

    public void Validate()
    {
        if (K < 1) throw new ArgumentOutOfRangeException(nameof(K), K, "must be ≥ 1.");
        if (!(AllowOverFetch >= 1) || double.IsInfinity(AllowOverFetch))
            throw new ArgumentOutOfRangeException(nameof(AllowOverFetch), AllowOverFetch, "must be a finite number ≥ 1.");
    }
}
