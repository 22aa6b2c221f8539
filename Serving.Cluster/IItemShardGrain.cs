namespace Recsys.Serving.Cluster;

/// <summary>
/// One replica of one item shard (key <see cref="ShardSetSpec.GrainKey"/>): holds rows [start, start + count) of the
/// version's item vectors in an exact CPU index and answers top-k over them in local rows.
/// </summary>
public interface IItemShardGrain : IGrainWithStringKey
{
    /// <summary>Loads the shard (once; later calls return the same description).</summary>
    [ResponseTimeout("00:30:00")]
    Task<ShardInfo> Load(ShardSetSpec spec);

    /// <summary>
    /// Top-k local rows of <paramref name="search"/> (ids already local). A replica still loading (just placed or moved)
    /// waits for its rows when <paramref name="mayWait"/>, otherwise refuses at once with
    /// <see cref="ReplicaLoadingException"/> so the caller asks another replica; no query is answered from part of a shard.
    /// </summary>
    [ResponseTimeout("00:30:00")]
    Task<ShardHits> Search(ShardSetSpec spec, ShardSearch search, bool mayWait);

    /// <summary>The version this replica holds, or null while it loads or after it was unloaded (then the activation ends).</summary>
    Task<ShardSetSpec?> Spec();

    /// <summary>
    /// Moves this replica to <paramref name="silo"/> (Orleans grain migration): the activation ends once its requests
    /// are done and starts again there, loading its rows before it answers a query.
    /// </summary>
    Task MoveTo(SiloAddress silo);

    /// <summary>Drops the shard (a retired version): the activation ends and its memory is freed.</summary>
    Task Unload();
}
