namespace Recsys.Serving.Cluster;

/// <summary>How the coordinator fails over between replicas.</summary>
public sealed record CoordinatorOptions
{
    /// <summary>Deadline of a call to a replica that is not the last one to try.</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(1);
    /// <summary>How long a replica that failed is tried last.</summary>
    public TimeSpan SuspectFor { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>Pause before each background attempt to re-place a failed replica.</summary>
    public TimeSpan ReplaceDelay { get; init; } = TimeSpan.FromSeconds(1);
    /// <summary>Deadline of one re-placement attempt (it loads the shard).</summary>
    public TimeSpan ReplaceTimeout { get; init; } = TimeSpan.FromSeconds(60);
    /// <summary>Pause between a membership change and re-placing replicas (lets the silos' views of membership agree).</summary>
    public TimeSpan RebalanceDelay { get; init; } = TimeSpan.FromSeconds(2);
    /// <summary>How often the placement is checked even without a membership change (repairs a pass that failed).</summary>
    public TimeSpan RebalanceEvery { get; init; } = TimeSpan.FromSeconds(30);

    public CoordinatorOptions Validate()
    {
        foreach (var (name, v) in new[] { (nameof(AttemptTimeout), AttemptTimeout), (nameof(SuspectFor), SuspectFor), (nameof(ReplaceDelay), ReplaceDelay), (nameof(ReplaceTimeout), ReplaceTimeout), (nameof(RebalanceDelay), RebalanceDelay), (nameof(RebalanceEvery), RebalanceEvery) })
            if (v <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(name, v, "must be positive.");
        return this;
    }
}
