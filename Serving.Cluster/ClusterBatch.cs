namespace Recsys.Serving.Cluster;

/// <summary>How a batch job (<c>recsys retrieve --cluster</c>, <c>recsys eval --cluster</c>) uses the cluster.</summary>
public sealed record ClusterBatchOptions
{
    /// <summary>Shards and replicas the job's items are laid out as.</summary>
    public ClusterLayout Layout { get; init; } = new();
    /// <summary>Queries (users) per coordinator call: bounds every message and the silos' memory per call.</summary>
    public int BlockSize { get; init; } = 1024;
    /// <summary>Blocks on the cluster at once.</summary>
    public int BlocksInFlight { get; init; } = 2;

    public ClusterBatchOptions Validate()
    {
        Layout.Validate();
        if (BlockSize < 1) throw new ArgumentOutOfRangeException(nameof(BlockSize), BlockSize, "must be ≥ 1.");
        if (BlocksInFlight is < 1 or > 64) throw new ArgumentOutOfRangeException(nameof(BlocksInFlight), BlocksInFlight, "must be in 1..64.");
        return this;
    }
}

/// <summary>
/// Batch work over the cluster: the job keeps its user side (query vectors, exclusions, the evaluator) and searches its
/// items through a <see cref="ClusterMipsIndex"/>, in blocks of users. The factory returned plugs into any
/// <see cref="Retrieval.Mips.MipsIndexChoice"/> (its <c>Factory</c>), so <c>RetrieveJob</c> and <c>EvalPipeline</c> run
/// unchanged and their answers equal the single-node ones exactly (same ids, scores and tie rule).
/// </summary>
public static class ClusterBatch
{
    /// <summary>
    /// An index factory that lays <paramref name="itemsFile"/> (the file the job's item vectors come from; every silo
    /// must be able to read it) out on the cluster as a version of its own — so retiring it when the job ends never
    /// touches a version a front end serves — verifies it against the job's vectors, and searches it block by block.
    /// </summary>
    public static ClusterIndexFactory Factory(IGrainFactory grains, string itemsFile, ClusterBatchOptions? options = null, IProgress<BlockProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentException.ThrowIfNullOrWhiteSpace(itemsFile);
        var o = (options ?? new ClusterBatchOptions()).Validate();
        var path = Path.GetFullPath(itemsFile);
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: item vectors not found.", path);
        var name = $"batch-{Path.GetFileNameWithoutExtension(path)}@{DateTime.UtcNow:yyyyMMdd'T'HHmmss'Z'}-{Guid.NewGuid():N}"[..^24];
        return new ClusterIndexFactory(grains, (count, dim) => new ShardSetSpec
        {
            Version = name, ItemsFile = path, Count = count, Dim = dim,
            Shards = Math.Min(o.Layout.Shards, count), Replicas = o.Layout.Replicas,
        })
        { BlockSize = o.BlockSize, BlocksInFlight = o.BlocksInFlight, Progress = progress };
    }
}
