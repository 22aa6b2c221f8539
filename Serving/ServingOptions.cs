namespace Recsys.Serving;

/// <summary>
/// Limits and switches of a recommendation service and its HTTP host. Every limit turns an over-limit request into a
/// 400 with the reason; none of them changes an answer that is within the limits.
/// </summary>
public sealed record ServingOptions
{
    /// <summary>Largest k a request may ask for; the snapshot's item count caps it further.</summary>
    public int MaxK { get; init; } = 1000;
    /// <summary>Longest history (item ids) one request may carry.</summary>
    public int MaxHistory { get; init; } = 1000;
    /// <summary>Longest exclude or allow list one request may carry.</summary>
    public int MaxFilterItems { get; init; } = 10_000;
    /// <summary>Most requests one batch request may carry.</summary>
    public int MaxBatch { get; init; } = 256;
    /// <summary>Largest request body in bytes.</summary>
    public long MaxBodyBytes { get; init; } = 1 << 20;
    /// <summary>How long a request may run before it is cancelled.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);
    /// <summary>Bearer token for <c>/admin/*</c>; null turns the admin endpoints off (they answer 404).</summary>
    public string? AdminToken { get; init; }
    /// <summary>Folders whose contents <c>/admin/reload</c> may load; a path outside all of them is refused.</summary>
    public IReadOnlyList<string> ReloadRoots { get; init; } = [];
    /// <summary>
    /// Coalesce concurrent known-user requests into one multi-query index search (see <c>RecommendationService.RecommendAsync</c>);
    /// answers are unchanged and an idle service adds no wait. On by default: on the 2-core Gowalla benchmark it tripled
    /// throughput (Eval/results/serving).
    /// </summary>
    public bool BatchRequests { get; init; } = true;
    /// <summary>Most requests one coalesced search answers.</summary>
    public int MaxCoalesced { get; init; } = 64;
    /// <summary>Searches running coalesced batches at once (default: half the cores, at least one).</summary>
    public int BatchWorkers { get; init; } = Math.Max(1, Environment.ProcessorCount / 2);

    public ServingOptions Validate()
    {
        if (MaxK < 1) throw new ArgumentOutOfRangeException(nameof(MaxK), MaxK, "must be ≥ 1.");
        if (MaxHistory < 0) throw new ArgumentOutOfRangeException(nameof(MaxHistory), MaxHistory, "must be ≥ 0.");
        if (MaxFilterItems < 0) throw new ArgumentOutOfRangeException(nameof(MaxFilterItems), MaxFilterItems, "must be ≥ 0.");
        if (MaxBatch < 1) throw new ArgumentOutOfRangeException(nameof(MaxBatch), MaxBatch, "must be ≥ 1.");
        if (MaxCoalesced < 1) throw new ArgumentOutOfRangeException(nameof(MaxCoalesced), MaxCoalesced, "must be ≥ 1.");
        if (BatchWorkers < 1) throw new ArgumentOutOfRangeException(nameof(BatchWorkers), BatchWorkers, "must be ≥ 1.");
        if (MaxBodyBytes < 64) throw new ArgumentOutOfRangeException(nameof(MaxBodyBytes), MaxBodyBytes, "must be ≥ 64.");
        if (RequestTimeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(RequestTimeout), RequestTimeout, "must be positive.");
        if (AdminToken is { } t && (t.Length < 8 || t.Any(char.IsWhiteSpace)))
            throw new ArgumentException("must be at least 8 characters without spaces.", nameof(AdminToken));
        foreach (var r in ReloadRoots)
            if (string.IsNullOrWhiteSpace(r)) throw new ArgumentException("a reload root is empty.", nameof(ReloadRoots));
        return this;
    }
}
