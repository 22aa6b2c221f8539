namespace Recsys.Serving.Cluster;

/// <summary>How a silo's shard grains search.</summary>
public sealed record ShardHostOptions
{
    /// <summary>Threads one shard search may use (1: concurrent batches already keep the cores busy).</summary>
    public int SearchThreads { get; init; } = 1;

    public ShardHostOptions Validate()
    {
        if (SearchThreads < 0) throw new ArgumentOutOfRangeException(nameof(SearchThreads), SearchThreads, "must be ≥ 0 (0 = all cores).");
        return this;
    }
}
