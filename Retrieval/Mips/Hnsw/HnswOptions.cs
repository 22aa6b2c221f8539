namespace Recsys.Retrieval.Mips.Hnsw;

/// <summary>
/// Options of <see cref="HnswIndex"/> (Malkov &amp; Yashunin's HNSW as USearch builds it). The names follow the paper;
/// USearch calls them connectivity, expansion_add and expansion_search.
/// </summary>
public sealed record HnswOptions
{
    /// <summary>M: neighbours kept per node on the upper layers (2·M on the base layer). Larger = better recall, more memory and build time.</summary>
    public int Connectivity { get; init; } = 16;

    /// <summary>efConstruction: beam width while inserting. Part of the graph's fingerprint.</summary>
    public int ExpansionAdd { get; init; } = 128;

    /// <summary>efSearch: beam width of a query (USearch searches with max(efSearch, candidates)). Not part of the graph; can change without a rebuild.</summary>
    public int ExpansionSearch { get; init; } = 64;

    /// <summary>Similarity of the graph; see <see cref="HnswMetric"/>.</summary>
    public HnswMetric Metric { get; init; } = HnswMetric.InnerProduct;

    /// <summary>
    /// Threads inserting items. 1 (default) builds the same graph on every run: items go in row order and USearch draws
    /// node levels from a default-seeded generator per thread context. USearch takes no seed, so more threads build faster
    /// but the graph (and so the approximate answers) depends on scheduling.
    /// </summary>
    public int BuildThreads { get; init; } = 1;

    /// <summary>Threads spreading a batch of queries, and the number of concurrent native searches allowed; 0 = one per logical core.</summary>
    public int Threads { get; init; }

    /// <summary>
    /// Candidates fetched from the graph per query, as a multiple of k: max(⌈k·OverFetch⌉, efSearch), capped at the item
    /// count. The walk keeps a beam of max(efSearch, candidates) anyway, so taking the whole beam costs no extra graph
    /// work, only its exact re-scoring — which puts ties at the cut in the project's order (lower id first) instead of
    /// the graph's. Raise it past efSearch to widen the beam itself.
    /// </summary>
    public double OverFetch { get; init; } = 1;

    public void Validate()
    {
        if (Connectivity < 2) throw new ArgumentOutOfRangeException(nameof(Connectivity), Connectivity, "must be ≥ 2.");
        if (ExpansionAdd < 1) throw new ArgumentOutOfRangeException(nameof(ExpansionAdd), ExpansionAdd, "must be ≥ 1.");
        if (ExpansionSearch < 1) throw new ArgumentOutOfRangeException(nameof(ExpansionSearch), ExpansionSearch, "must be ≥ 1.");
        if (!Enum.IsDefined(Metric)) throw new ArgumentOutOfRangeException(nameof(Metric), Metric, "unknown metric.");
        if (BuildThreads < 1) throw new ArgumentOutOfRangeException(nameof(BuildThreads), BuildThreads, "must be ≥ 1.");
        if (Threads < 0) throw new ArgumentOutOfRangeException(nameof(Threads), Threads, "must be ≥ 0 (0 = all cores).");
        if (!(OverFetch >= 1) || double.IsInfinity(OverFetch)) throw new ArgumentOutOfRangeException(nameof(OverFetch), OverFetch, "must be a finite number ≥ 1.");
    }

    /// <summary>Candidates per query for a given k and item count: max(⌈k·OverFetch⌉, efSearch), capped at the item count.</summary>
    public int CandidatesFor(int k, int count) => (int)Math.Min(count, Math.Max(ExpansionSearch, Math.Ceiling(k * OverFetch - 1e-9)));

    internal int EffectiveThreads => Threads == 0 ? Environment.ProcessorCount : Threads;
}
