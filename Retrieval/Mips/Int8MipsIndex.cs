namespace Recsys.Retrieval.Mips;

/// <summary>
/// MIPS with a reduced-precision first pass, built as <c>Refine(int8 scan, exact FP32)</c>: an
/// <see cref="Int8ScanIndex"/> keeps each query's best ⌈k·<see cref="Int8MipsOptions.OverFetch"/>⌉ candidates by
/// integer score (exclusions applied), and a <see cref="RefineIndex"/> re-scores them exactly in FP32
/// (<see cref="Fp32Rescorer"/>) to return the top k.
/// The answer is exact — ids, ties by lower id, and scores bit-identical to <see cref="ExactCpuMipsIndex"/> — whenever
/// the true top k lies among the candidates (always when k·OverFetch ≥ Count); otherwise a near miss replaces a true
/// result. Rows are padded with −1 / −∞.
/// Memory: Count·PaddedDim bytes of int8 panels plus the FP32 items (Count·Dim floats) kept for the re-rank.
/// Immutable; <see cref="Search"/> is safe to call concurrently.
/// </summary>
public sealed class Int8MipsIndex : IMipsIndex
{
    private readonly Int8ScanIndex _scan;
    private readonly RefineIndex _refine;

    /// <summary>Quantises and packs <paramref name="items"/> (row-major [count, dim]) and keeps an FP32 copy for re-ranking.</summary>
    public Int8MipsIndex(ReadOnlySpan<float> items, int dim, Int8MipsOptions? options = null)
    {
        var o = options ?? new Int8MipsOptions();
        o.Validate();
        MipsArguments.ItemCount(items, dim);
        _scan = new Int8ScanIndex(items, dim, o);
        _refine = new RefineIndex(_scan, new Fp32Rescorer(items.ToArray(), dim, o.Threads), new RefineOptions { OverFetch = o.OverFetch });
    }

    public int Count => _scan.Count;
    public int Dim => _scan.Dim;
    /// <summary>The integer kernel this index runs (Auto resolved against the CPU).</summary>
    public Int8KernelKind Kernel => _scan.Kernel;
    /// <summary>Candidates per query for a given k: ⌈k·OverFetch⌉, capped at the item count.</summary>
    public int CandidatesFor(int k) => _refine.CandidatesFor(k);

    /// <summary>The AVX-VNNI kernel also needs AVX-512F/VL for its compress-store of admitted candidates.</summary>
    public static bool VnniSupported => Int8ScanIndex.VnniSupported;

    public static Int8KernelKind Resolve(Int8KernelKind requested) => Int8ScanIndex.Resolve(requested);

    public MipsResult Search(ReadOnlySpan<float> queries, int k, Exclusions? exclude = null) => _refine.Search(queries, k, exclude);

    public void Dispose() => _refine.Dispose();
}
