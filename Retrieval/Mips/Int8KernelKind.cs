namespace Recsys.Retrieval.Mips;

/// <summary>Which integer kernel the first pass of <see cref="Int8MipsIndex"/> runs; both give bit-identical integer scores.</summary>
public enum Int8KernelKind
{
    /// <summary><see cref="AvxVnni"/> when the CPU has AVX-VNNI, else scalar.</summary>
    Auto,
    /// <summary>256-bit <c>vpdpbusd</c> (u8 × s8 → i32, four products per lane per instruction).</summary>
    AvxVnni,
    Scalar,
}
