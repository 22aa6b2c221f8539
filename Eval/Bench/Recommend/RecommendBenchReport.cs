namespace Recsys.Eval.Bench;

/// <summary>Speed of one batch size: calls timed one after another on one thread.</summary>
/// <param name="BatchSize">Users per call.</param>
/// <param name="Calls">Timed calls.</param>
/// <param name="UsersPerSecond">Answered users per wall-clock second over the timed calls.</param>
/// <param name="P50Ms">Median call latency.</param>
/// <param name="P99Ms">99th-percentile call latency.</param>
/// <param name="MaxMs">Slowest call.</param>
public sealed record RecommendBenchRow(int BatchSize, int Calls, double UsersPerSecond, double P50Ms, double P99Ms, double MaxMs);

/// <summary>
/// <see cref="RecommendBenchmark"/>'s result: the pipeline that answered (stages, candidate count, index), its speed per
/// batch size and, when a reference pipeline was given (the same model over exact MIPS), the mean share of the
/// reference's top-K the answers kept (recall against exact).
/// </summary>
public sealed record RecommendBenchReport
{
    public required string Model { get; init; }
    public required string Index { get; init; }
    /// <summary>"encode → MIPS" or "encode → MIPS → ranker" etc.</summary>
    public required string Pipeline { get; init; }
    /// <summary>Candidates the first stage hands the ranker (0 without one).</summary>
    public int Candidates { get; init; }
    public int Items { get; init; }
    public int Users { get; init; }
    public int K { get; init; }
    public required IReadOnlyList<RecommendBenchRow> Rows { get; init; }
    /// <summary>Mean |answer ∩ exact answer| / K over the users, or null without a reference.</summary>
    public double? RecallVsExact { get; init; }
}
