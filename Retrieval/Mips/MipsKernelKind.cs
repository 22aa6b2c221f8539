namespace Recsys.Retrieval.Mips;

/// <summary>Which SIMD kernel <see cref="ExactCpuMipsIndex"/> runs; all give bit-identical scores.</summary>
public enum MipsKernelKind
{
    /// <summary>Vector512 when the CPU has AVX-512F, else Vector256 with FMA, else scalar.</summary>
    Auto,
    Vector512,
    Vector256,
    Scalar,
}
