using Recsys.Retrieval.Mips;
namespace Recsys.Eval.Bench;

/// <summary>
/// One backend's timing: median wall seconds over the runs, effective GFLOP/s (2·N·M·D / s), speed-up over mm + topk (null when the baseline was skipped)
/// and over the exact CPU kernel (its median over this row's median, same run), median process CPU seconds per run (what the work cost on a
/// shared machine), and agreement with the exact CPU answer: IdOverlap is the mean per-query recall@k against it.
/// Approximate rows (the int8 first pass) are reported but do not decide <see cref="MipsBenchReport.Agree"/>.
/// </summary>
public sealed record MipsBenchRow(string Backend, string Device, double Seconds, double[] Runs, double Gflops, double? SpeedupVsMmTopk,
    double SpeedupVsCpu, double CpuSeconds, double IdOverlap, double MaxScoreDiff, bool Approximate = false);

/// <summary>Single-query latency over a large item set next to the time to stream the packed items once at measured memory bandwidth.</summary>
public sealed record MipsLatency(int Items, int Dim, double MedianMs, double PackedMegabytes, double BandwidthGBps, double BandwidthBoundMs);

/// <summary>
/// The result of <see cref="MipsBenchmark.Run"/>. VectorSource says where the vectors came from ("gaussian" or the embeddings run folder);
/// Agree is true when every exact backend matches the CPU index.
/// </summary>
public sealed record MipsBenchReport(int Queries, int Items, int Dim, int K, int Threads, long ExcludedPairs, string CpuKernel,
    string VectorSource, double PackSeconds, IReadOnlyList<MipsBenchRow> Rows, bool Agree, MipsLatency? Latency);
