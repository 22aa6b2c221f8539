namespace Recsys.Embeddings.GraphHash;

/// <summary>Settings of <see cref="Louvain"/> modularity clustering.</summary>
public sealed record LouvainOptions
{
    /// <summary>Resolution γ of the null model: higher values give more, smaller clusters (GraphHash uses 200 on Gowalla).</summary>
    public double Resolution { get; init; } = 1.0;

    /// <summary>Seed of the node visiting order (shuffled at every level).</summary>
    public int Seed { get; init; } = 0;

    /// <summary>A level stops moving nodes once a move would raise modularity by no more than this.</summary>
    public double MinGain { get; init; } = 1e-12;

    /// <summary>Upper bound on aggregation levels.</summary>
    public int MaxLevels { get; init; } = 64;

    public void Validate()
    {
        if (!(Resolution > 0) || double.IsInfinity(Resolution)) throw new ArgumentOutOfRangeException(nameof(Resolution), Resolution, "must be positive and finite.");
        if (!(MinGain >= 0)) throw new ArgumentOutOfRangeException(nameof(MinGain), MinGain, "must be non-negative.");
        if (MaxLevels <= 0) throw new ArgumentOutOfRangeException(nameof(MaxLevels), MaxLevels, "must be positive.");
    }
}

/// <summary>A clustering: <see cref="Labels"/>[node] in 0..<see cref="Clusters"/>-1, numbered by first appearance in node order.</summary>
public sealed record LouvainResult(int[] Labels, int Clusters, double Modularity, int Levels);
