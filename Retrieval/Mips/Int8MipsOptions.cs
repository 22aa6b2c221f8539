namespace Recsys.Retrieval.Mips;

/// <summary>Options of <see cref="Int8MipsIndex"/>.</summary>
public sealed record Int8MipsOptions
{
    /// <summary>
    /// Candidates kept per query by the int8 first pass, as a multiple of k (⌈k·OverFetch⌉, capped at the item count:
    /// 25 for k = 20); the exact FP32 re-rank then picks the top k among them. Larger values raise recall and cost
    /// candidate handling. On Gowalla-size data 1.25 kept recall@20 ≥ 0.99994 on trained and Gaussian vectors; 1.1
    /// fell to 0.9978 on Gaussian ones.
    /// </summary>
    public double OverFetch { get; init; } = 1.25;
    /// <summary>Worker threads; 0 = one per logical core.</summary>
    public int Threads { get; init; }
    /// <summary>Integer kernel; <see cref="Int8KernelKind.Auto"/> picks AVX-VNNI when the CPU has it.</summary>
    public Int8KernelKind Kernel { get; init; } = Int8KernelKind.Auto;
    /// <summary>Queries per work item (rounded up to the kernel's 6-query micro-block); 128 and 64 KiB tiles measured 3–5% faster than 256 and 128 KiB on Zen 5.</summary>
    public int QueryBlock { get; init; } = 128;
    /// <summary>Bytes of packed int8 items per tile: a tile stays in L2 while all micro-blocks of a query block pass over it.</summary>
    public int TileBytes { get; init; } = 64 * 1024;

    public void Validate()
    {
        if (!(OverFetch >= 1) || double.IsInfinity(OverFetch)) throw new ArgumentOutOfRangeException(nameof(OverFetch), OverFetch, "must be a finite number ≥ 1.");
        if (Threads < 0) throw new ArgumentOutOfRangeException(nameof(Threads), Threads, "must be ≥ 0 (0 = all cores).");
        if (QueryBlock < 1) throw new ArgumentOutOfRangeException(nameof(QueryBlock), QueryBlock, "must be ≥ 1.");
        if (TileBytes < 4096) throw new ArgumentOutOfRangeException(nameof(TileBytes), TileBytes, "must be ≥ 4096.");
        if (!Enum.IsDefined(Kernel)) throw new ArgumentOutOfRangeException(nameof(Kernel), Kernel, "unknown kernel.");
    }

    internal int EffectiveThreads => Threads == 0 ? Environment.ProcessorCount : Threads;
}
