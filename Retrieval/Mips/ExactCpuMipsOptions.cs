namespace Recsys.Retrieval.Mips;

/// <summary>Options of <see cref="ExactCpuMipsIndex"/>.</summary>
public sealed record ExactCpuMipsOptions
{
    /// <summary>Worker threads; 0 = one per logical core.</summary>
    public int Threads { get; init; }
    /// <summary>SIMD kernel; <see cref="MipsKernelKind.Auto"/> picks the widest the CPU supports.</summary>
    public MipsKernelKind Kernel { get; init; } = MipsKernelKind.Auto;
    /// <summary>Queries per work item (rounded up to the kernel's 8-query micro-block); one thread scans one block at a time.</summary>
    public int QueryBlock { get; init; } = 256;
    /// <summary>Bytes of packed items per tile: a tile stays in L2 while all micro-blocks of a query block pass over it.</summary>
    public int TileBytes { get; init; } = 256 * 1024;

    public void Validate()
    {
        if (Threads < 0) throw new ArgumentOutOfRangeException(nameof(Threads), Threads, "must be ≥ 0 (0 = all cores).");
        if (QueryBlock < 1) throw new ArgumentOutOfRangeException(nameof(QueryBlock), QueryBlock, "must be ≥ 1.");
        if (TileBytes < 4096) throw new ArgumentOutOfRangeException(nameof(TileBytes), TileBytes, "must be ≥ 4096.");
        if (!Enum.IsDefined(Kernel)) throw new ArgumentOutOfRangeException(nameof(Kernel), Kernel, "unknown kernel.");
    }

    internal int EffectiveThreads => Threads == 0 ? Environment.ProcessorCount : Threads;
}
