namespace Recsys.Serving.Cluster;

/// <summary>
/// Scatter-gather over a version's shards: a batch goes to one replica of every shard (another replica when a silo is
/// lost) and the per-shard top-k lists are merged exactly. A stateless worker, so every silo answers locally.
/// </summary>
public interface IShardSetCoordinatorGrain : IGrainWithIntegerKey
{
    /// <summary>Top-k global item ids of each query; equal to one exact index over all the items.</summary>
    /// <remarks>A batch block over a large catalog may scan for minutes; callers bound each call themselves (<see cref="ClusterMipsIndex.DeadlineFor"/>).</remarks>
    [ResponseTimeout("00:30:00")]
    Task<ShardHits> Search(ShardSetSpec spec, ShardSearch search);

    /// <summary>Loads every replica of every shard (the first half of a swap); returns them shard by shard.</summary>
    /// <remarks>Loading a large catalog takes far longer than a query may, hence its own response timeout.</remarks>
    [ResponseTimeout("00:30:00")]
    Task<ShardInfo[]> Prepare(ShardSetSpec spec);

    /// <summary>Unloads every replica of a version no one queries any more.</summary>
    Task Retire(ShardSetSpec spec);
}
