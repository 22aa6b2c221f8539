namespace Recsys.Eval.Bench;

/// <summary>What <see cref="RecommendBenchmark"/> times: a seeded sample of users answered one at a time and in batches.</summary>
public sealed record RecommendBenchOptions
{
    /// <summary>Items per answer.</summary>
    public int K { get; init; } = 10;
    /// <summary>Users sampled (without replacement, seeded) from the users the recommender can answer; every batch size answers the same ones.</summary>
    public int Users { get; init; } = 2_000;
    /// <summary>Users per call; 1 is the per-request latency, larger batches the throughput of batch work.</summary>
    public IReadOnlyList<int> BatchSizes { get; init; } = [1, 64];
    /// <summary>Untimed calls before each batch size's timed ones.</summary>
    public int WarmupCalls { get; init; } = 20;
    public int Seed { get; init; } = 42;

    public void Validate()
    {
        if (K < 1) throw new ArgumentOutOfRangeException(nameof(K), K, "must be ≥ 1.");
        if (Users < 1) throw new ArgumentOutOfRangeException(nameof(Users), Users, "must be ≥ 1.");
        if (BatchSizes.Count == 0 || BatchSizes.Any(b => b < 1)) throw new ArgumentOutOfRangeException(nameof(BatchSizes), string.Join(",", BatchSizes), "needs at least one batch size, each ≥ 1.");
        if (WarmupCalls < 0) throw new ArgumentOutOfRangeException(nameof(WarmupCalls), WarmupCalls, "must be ≥ 0.");
    }
}
