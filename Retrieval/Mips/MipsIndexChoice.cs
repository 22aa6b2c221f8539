using Recsys.Devices;

namespace Recsys.Retrieval.Mips;

/// <summary>
/// Which <see cref="IMipsIndex"/> to build and its settings — what <c>recsys retrieve</c> and <c>recsys eval</c>
/// take from <c>--backend</c>, <c>--device</c>, <c>--threads</c> and <c>--overfetch</c>.
/// </summary>
public sealed record MipsIndexChoice
{
    public MipsBackend Backend { get; init; } = MipsBackend.Cpu;
    /// <summary>Torch device (torch backend only).</summary>
    public DeviceChoice Device { get; init; } = DeviceChoice.Auto;
    /// <summary>CPU threads; 0 = all cores.</summary>
    public int Threads { get; init; }
    /// <summary>Int8 backend only: candidates per query = ⌈k · OverFetch⌉, re-ranked exactly.</summary>
    public double OverFetch { get; init; } = new Int8MipsOptions().OverFetch;
    /// <summary>When set, builds the index in place of <see cref="Backend"/> (an index kind from elsewhere, e.g. HNSW).</summary>
    public IMipsIndexFactory? Factory { get; init; }

    public void Validate()
    {
        if (Threads < 0) throw new ArgumentOutOfRangeException(nameof(Threads), Threads, "must be ≥ 0.");
        new TorchMipsOptions { Device = Device }.Validate();
        new Int8MipsOptions { OverFetch = OverFetch }.Validate();
    }

    /// <summary>The index over row-major item vectors [items.Length / dim, dim].</summary>
    public IMipsIndex Create(float[] items, int dim) => Factory?.Create(items, dim) ?? Backend switch
    {
        MipsBackend.Torch => new TorchMipsIndex(items, dim, new TorchMipsOptions { Device = Device }),
        MipsBackend.Int8 => new Int8MipsIndex(items, dim, new Int8MipsOptions { Threads = Threads, OverFetch = OverFetch }),
        _ => new ExactCpuMipsIndex(items, dim, new ExactCpuMipsOptions { Threads = Threads }),
    };

    /// <summary>One line naming the index as built, e.g. "int8 (Avx512, 25 candidates re-ranked in fp32)".</summary>
    public static string Describe(IMipsIndex index, int k) => index switch
    {
        TorchMipsIndex t => $"torch ({t.Device})",
        Int8MipsIndex q8 => $"int8 ({q8.Kernel}, {q8.CandidatesFor(k)} candidates re-ranked in fp32)",
        ExactCpuMipsIndex c => $"cpu ({c.Kernel})",
        Hnsw.HnswIndex h => h.Describe(k),
        _ => index.GetType().Name,
    };
}
