using Recsys.Retrieval.Mips;
using Recsys.Devices;

namespace Recsys.Eval.Bench;

/// <summary>What <see cref="MipsBenchmark"/> measures: seeded random queries and items of the given shape.</summary>
public sealed record MipsBenchOptions
{
    public int Queries { get; init; } = 29_858;
    public int Items { get; init; } = 40_981;
    public int Dim { get; init; } = 64;
    public int K { get; init; } = 20;
    public int Seed { get; init; } = 42;
    /// <summary>Threads for every backend (CPU kernel and torch intra-op); 0 = all cores.</summary>
    public int Threads { get; init; }
    /// <summary>Timed runs per backend (the median is reported), after one untimed warm-up on a small slice.</summary>
    public int Repeats { get; init; } = 3;
    /// <summary>Torch device for the torch backend and the mm + topk baseline.</summary>
    public DeviceChoice Device { get; init; } = DeviceChoice.Auto;
    /// <summary>A dataset folder: its user and item counts replace Queries and Items, and its training items are excluded.</summary>
    public string? DataFolder { get; init; }
    /// <summary>Items for the single-query latency test (e.g. 1,000,000); 0 skips it.</summary>
    public int LatencyItems { get; init; }
    /// <summary>Also time the Vector256 kernel (and the scalar one on inputs under 10 GFLOP) next to the auto-selected one.</summary>
    public bool AllKernels { get; init; }
    /// <summary>Skip the torch backends (CPU kernels only).</summary>
    public bool CpuOnly { get; init; }
    /// <summary>
    /// Over-fetch of the <see cref="Int8MipsIndex"/> row (candidates = k · OverFetch, re-ranked exactly); 0 skips the int8 backend.
    /// Its id overlap with the exact CPU answer is its recall@k.
    /// </summary>
    public double OverFetch { get; init; } = new Int8MipsOptions().OverFetch;
    /// <summary>
    /// A run folder (<c>recsys train</c>) whose user_embeddings.arrow / item_embeddings.arrow replace the seeded Gaussian
    /// queries and items — trained vectors give a realistic recall for the int8 pass (random ones are its worst case).
    /// </summary>
    public string? EmbeddingsRun { get; init; }

    public void Validate()
    {
        if (Queries < 1) throw new ArgumentOutOfRangeException(nameof(Queries), Queries, "must be ≥ 1.");
        if (Items < 1) throw new ArgumentOutOfRangeException(nameof(Items), Items, "must be ≥ 1.");
        if (Dim < 1) throw new ArgumentOutOfRangeException(nameof(Dim), Dim, "must be ≥ 1.");
        if (K < 1 || K > Items) throw new ArgumentOutOfRangeException(nameof(K), K, $"must be in 1..{Items} (the items).");
        if (Threads < 0) throw new ArgumentOutOfRangeException(nameof(Threads), Threads, "must be ≥ 0.");
        if (Repeats < 1) throw new ArgumentOutOfRangeException(nameof(Repeats), Repeats, "must be ≥ 1.");
        if (!(OverFetch == 0 || OverFetch >= 1) || double.IsInfinity(OverFetch)) throw new ArgumentOutOfRangeException(nameof(OverFetch), OverFetch, "must be 0 (skip the int8 backend) or a finite number ≥ 1.");
        if (LatencyItems < 0) throw new ArgumentOutOfRangeException(nameof(LatencyItems), LatencyItems, "must be ≥ 0.");
        new TorchMipsOptions { Device = Device }.Validate();
    }
}
