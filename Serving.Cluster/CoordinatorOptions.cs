namespace Recsys.Serving.Cluster;

/// <summary>How the coordinator fails over between replicas.</summary>
public sealed record CoordinatorOptions
{
    /// <summary>Deadline of a call to a replica that is not the last one to try (plus <see cref="ScanNanoseconds"/> for its work).</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(1);
    /// <summary>
    /// Extra deadline per multiply-add a replica's scan costs (queries × its rows × width): a batch block of thousands of
    /// users is slow, not lost, and must not be sent to a second replica that would only repeat the work. The default
    /// (2 ns) is some 40 times what the SIMD kernel needs on an idle core, and adds a millisecond or two to one query on a
    /// Gowalla-sized shard.
    /// </summary>
    public double ScanNanoseconds { get; init; } = 2;

    /// <summary>The deadline of one attempt to have a replica scan <paramref name="rows"/> × <paramref name="dim"/> for <paramref name="queries"/> queries.</summary>
    public TimeSpan DeadlineFor(int queries, int rows, int dim) =>
        AttemptTimeout + TimeSpan.FromMilliseconds(Math.Min(ScanNanoseconds * 1e-6 * queries * rows * dim, TimeSpan.FromHours(1).TotalMilliseconds));
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
        if (!(ScanNanoseconds >= 0)) throw new ArgumentOutOfRangeException(nameof(ScanNanoseconds), ScanNanoseconds, "must be ≥ 0.");
        return this;
    }
}
