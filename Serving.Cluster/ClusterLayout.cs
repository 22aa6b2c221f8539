namespace Recsys.Serving.Cluster;

/// <summary>How a front end lays a model's items out over the cluster.</summary>
public sealed record ClusterLayout
{
    /// <summary>Contiguous item ranges (≥ the silos, so every silo holds work).</summary>
    public int Shards { get; init; } = 3;
    /// <summary>Copies of each shard on different silos (2 survives the loss of any one silo).</summary>
    public int Replicas { get; init; } = 2;

    public ClusterLayout Validate()
    {
        if (Shards < 1) throw new ArgumentOutOfRangeException(nameof(Shards), Shards, "must be ≥ 1.");
        if (Replicas is < 1 or > 16) throw new ArgumentOutOfRangeException(nameof(Replicas), Replicas, "must be in 1..16.");
        return this;
    }
}
