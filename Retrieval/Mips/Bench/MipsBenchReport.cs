namespace Recsys.Retrieval.Mips.Bench;

/// <summary>
/// One backend's timing: median wall seconds over the runs, effective GFLOP/s (2·N·M·D / s), speed-up over mm + topk (null when the baseline was skipped),
/// median process CPU seconds per run (what the work cost on a shared machine), and agreement with the exact CPU answer.
/// </summary>
public sealed record MipsBenchRow(string Backend, string Device, double Seconds, double[] Runs, double Gflops, double? SpeedupVsMmTopk,
    double CpuSeconds, double IdOverlap, double MaxScoreDiff);

/// <summary>Single-query latency over a large item set next to the time to stream the packed items once at measured memory bandwidth.</summary>
public sealed record MipsLatency(int Items, int Dim, double MedianMs, double PackedMegabytes, double BandwidthGBps, double BandwidthBoundMs);

/// <summary>The result of <see cref="MipsBenchmark.Run"/>.</summary>
public sealed record MipsBenchReport(int Queries, int Items, int Dim, int K, int Threads, long ExcludedPairs, string CpuKernel,
    double PackSeconds, IReadOnlyList<MipsBenchRow> Rows, bool Agree, MipsLatency? Latency);
