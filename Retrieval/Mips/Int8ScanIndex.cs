using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using Recsys.Retrieval.Mips.Cpu;

namespace Recsys.Retrieval.Mips;

/// <summary>
/// The int8 first pass of <see cref="Int8MipsIndex"/> as an index of its own: items (once) and each query block are
/// quantised to int8 (<see cref="Int8Quantizer"/>: one scale per dimension for items, one per query), and an integer
/// SIMD kernel (<see cref="Int8ScanKernels"/>, AVX-VNNI, items scanned in descending-norm order) keeps each query's best
/// k entries by integer score (<see cref="CandidateBuffer"/>). Rows are [n, k] best first by integer score, ties by
/// lower id, padded −1 / −∞; exclusions are applied. Approximate: the <b>scores are the integer first-pass scores</b>
/// (as floats; they compare within one query only, not with inner products), so this index is meant as the first
/// pass of a <see cref="RefineIndex"/>.
/// <para>
/// Why per-dimension rather than per-item item scales: the integer scores then compare directly across items of one
/// query (per-item scales would need an int→float convert and a multiply per score before the threshold test, ≈ 12 %
/// more instructions at d = 64), and MIPS top lists are dominated by large-norm items, which a shared per-dimension
/// scale quantises at full resolution; small-norm items lose precision but rarely compete for the top k.
/// </para>
/// With few query blocks the item range is split across threads; each split keeps its own best k and the splits are
/// merged by the same key, so the answer does not depend on the thread count.
/// Memory: Count·PaddedDim bytes of int8 panels. Immutable; <see cref="Search"/> is safe to call concurrently.
/// </summary>
public sealed unsafe class Int8ScanIndex : IMipsIndex
{
    private const int MR = Int8Quantizer.MR, PW = Int8Quantizer.PW;
    /// <summary>A query's candidate buffer is cut back to k·OverFetch entries when it holds this many times that.</summary>
    private const int BufferFactor = 2;
    private readonly Int8MipsOptions _options;
        private readonly float[] _scales;
    /// <summary>Scan position → item id (descending norm), and item id → scan position.</summary>
    private readonly int[] _perm, _rank;
    private readonly int _numPanels, _groups;
    private byte* _panels;
    private int* _start;

    /// <summary>Quantises and packs <paramref name="items"/> (row-major [count, dim]); <see cref="Int8MipsOptions.OverFetch"/> is not used here.</summary>
    public Int8ScanIndex(ReadOnlySpan<float> items, int dim, Int8MipsOptions? options = null)
    {
        _options = options ?? new Int8MipsOptions();
        _options.Validate();
        MipsArguments.ItemCount(items, dim);
        Dim = dim;
        Count = items.Length / dim;
        Kernel = Resolve(_options.Kernel);
        var copy = items.ToArray();
        _scales = Int8Quantizer.DimScales(items, dim);
        _perm = NormOrder(copy, dim);
        _rank = new int[Count];
        for (int r = 0; r < Count; r++) _rank[_perm[r]] = r;
        var ordered = new float[copy.Length];
        for (int r = 0; r < Count; r++) copy.AsSpan(_perm[r] * dim, dim).CopyTo(ordered.AsSpan(r * dim, dim));
        _groups = Int8Quantizer.PaddedDim(dim) / 4;
        _numPanels = Math.Max(1, (Count + PW - 1) / PW);
        _panels = (byte*)NativeMemory.AlignedAlloc((nuint)_numPanels * (nuint)_groups * PW * 4, 64);
        _start = (int*)NativeMemory.AlignedAlloc((nuint)_numPanels * PW * sizeof(int), 64);
        Int8Quantizer.PackItems(ordered, dim, _scales, _panels, _start, _numPanels);
    }

    /// <summary>
    /// Item ids by descending norm (ties by id). The first pass scans items in this order: large-norm items score high
    /// for many queries, so each query's threshold rises early and later tiles rarely admit anything — on trained
    /// embeddings, whose norms track popularity, this cuts the candidate handling that otherwise rivals the kernel.
    /// </summary>
    private static int[] NormOrder(float[] items, int dim)
    {
        int count = items.Length / dim;
        var norms = new float[count];
        for (int i = 0; i < count; i++) norms[i] = System.Numerics.Tensors.TensorPrimitives.Norm(items.AsSpan(i * dim, dim));
        var perm = new int[count];
        for (int i = 0; i < count; i++) perm[i] = i;
        // NaN norms sort last; equal norms keep id order.
        Array.Sort(perm, (a, b) => { float na = float.IsNaN(norms[a]) ? float.NegativeInfinity : norms[a], nb = float.IsNaN(norms[b]) ? float.NegativeInfinity : norms[b]; return na != nb ? nb.CompareTo(na) : a.CompareTo(b); });
        return perm;
    }

    public int Count { get; }
    public int Dim { get; }
    /// <summary>The integer kernel this index runs (Auto resolved against the CPU).</summary>
    public Int8KernelKind Kernel { get; }
    /// <summary>The AVX-VNNI kernel also needs AVX-512F/VL for its compress-store of admitted candidates.</summary>
    public static bool VnniSupported => AvxVnni.IsSupported && Avx512F.VL.IsSupported;

    public static Int8KernelKind Resolve(Int8KernelKind requested) => requested switch
    {
        Int8KernelKind.Auto => VnniSupported ? Int8KernelKind.AvxVnni : Int8KernelKind.Scalar,
        Int8KernelKind.AvxVnni when !VnniSupported => throw new PlatformNotSupportedException("this CPU lacks AVX-VNNI or AVX-512VL (compress); use Scalar or Auto."),
        _ => requested,
    };

    /// <summary>The best <paramref name="k"/> items per query by integer score (see the class remarks).</summary>
    public MipsResult Search(ReadOnlySpan<float> queries, int k, Exclusions? exclude = null)
    {
        ObjectDisposedException.ThrowIf(_panels == null, this);
        int n = MipsArguments.QueryCount(queries, Dim, k, exclude);
        var ids = new int[(long)n * k];
        var scores = new float[(long)n * k];
        int cap = Math.Min(k, Count);
        if (n == 0) return new MipsResult(0, k, ids, scores);
        if (cap == 0) { ids.AsSpan().Fill(-1); scores.AsSpan().Fill(float.NegativeInfinity); return new MipsResult(n, k, ids, scores); }

        int threads = _options.EffectiveThreads;
        int qb = (Math.Min(_options.QueryBlock, Math.Max(1, (n + threads - 1) / threads)) + MR - 1) / MR * MR;
        int blocks = (n + qb - 1) / qb;
        // Too few query blocks to keep every thread busy: split the item range too and merge the splits' lists.
        int splits = threads == 1 || blocks >= 2 * threads ? 1 : Math.Max(1, Math.Min(_numPanels, (2 * threads + blocks - 1) / blocks));
        int tilePanels = Math.Max(1, _options.TileBytes / (_groups * PW * 4));
        var plan = new Plan(Dim, _groups, Count, _numPanels, tilePanels, qb, blocks, splits, cap, Kernel);
        // Candidate keys per (query, split) slot (see Key), long.MinValue where a query kept fewer than cap.
        var cand = new long[(long)n * splits * cap];
        var po = new ParallelOptions { MaxDegreeOfParallelism = threads };
        fixed (float* q = queries)
        {
            nint qp = (nint)q, pp = (nint)_panels, sp = (nint)_start;
            int work = blocks * splits;
            if (threads == 1 || work == 1)
                for (int w = 0; w < work; w++) FirstPass(plan, qp, n, pp, sp, _scales, _perm, _rank, w, exclude, cand);
            else
                Parallel.For(0, work, po, w => FirstPass(plan, qp, n, pp, sp, _scales, _perm, _rank, w, exclude, cand));
        }
        int chunks = Math.Min(n, threads * 4);
        if (threads == 1 || chunks == 1) Finish(cand, splits * cap, 0, n, k, ids, scores);
        else Parallel.For(0, chunks, po, c => Finish(cand, splits * cap, (int)((long)n * c / chunks), (int)((long)n * (c + 1) / chunks), k, ids, scores));
        return new MipsResult(n, k, ids, scores);
    }

    /// <summary>
    /// Selection key of a candidate: integer score in the high half, <c>int.MaxValue − id</c> in the low half, so a
    /// larger key ranks first under "score descending, ties → lower id".
    /// </summary>
    private static long Key(int score, int id) => ((long)score << 32) | (uint)(int.MaxValue - id);

    /// <summary>Sorts queries [q0, q1)'s slot keys and writes their best k entries (ids, integer scores), padded.</summary>
    private static void Finish(long[] cand, int slots, int q0, int q1, int k, int[] ids, float[] scores)
    {
        for (int q = q0; q < q1; q++)
        {
            var keys = cand.AsSpan((int)((long)q * slots), slots);
            keys.Sort();
            var oi = ids.AsSpan(q * k, k);
            var os = scores.AsSpan(q * k, k);
            for (int j = 0; j < k; j++)
            {
                long key = j < slots ? keys[slots - 1 - j] : long.MinValue;
                if (key == long.MinValue) { oi[j..].Fill(-1); os[j..].Fill(float.NegativeInfinity); break; }
                oi[j] = int.MaxValue - (int)(uint)key;
                os[j] = (int)(key >> 32);
            }
        }
    }

    private sealed record Plan(int Dim, int Groups, int ItemCount, int Panels, int TilePanels, int QueryBlock, int Blocks, int Splits, int Capacity, Int8KernelKind Kernel);

    /// <summary>Scans query block w / Splits over item split w % Splits and writes each query's candidate keys to its slot.</summary>
    private static void FirstPass(Plan plan, nint queriesPtr, int n, nint panelsPtr, nint startPtr, float[] scales, int[] perm, int[] rank, int w, Exclusions? exclude, long[] cand)
    {
        int block = w / plan.Splits, split = w % plan.Splits;
        int q0 = block * plan.QueryBlock, nq = Math.Min(plan.QueryBlock, n - q0);
        int cap = plan.Capacity, mbs = (nq + MR - 1) / MR;
        // The kernels see scan positions, so the block's exclusion rows are translated to sorted positions.
        var ex = exclude is null ? null : ToPositions(exclude, q0, nq, rank);
        sbyte* packed = (sbyte*)NativeMemory.AlignedAlloc((nuint)mbs * (nuint)plan.Groups * MR * 4, 64);
        try
        {
            Int8Quantizer.PackQueries((float*)queriesPtr + (long)q0 * plan.Dim, nq, plan.Dim, scales, packed, mbs);
            var thr = new int[mbs * MR];
            thr.AsSpan(0, nq).Fill(int.MinValue);
            thr.AsSpan(nq).Fill(int.MaxValue);
            int limit = checked(BufferFactor * cap), stride = limit + PW;
            var sc = new int[(long)nq * stride];
            var id = new int[(long)nq * stride];
            var sizes = new int[nq];
            var clean = new int[nq];
            var keys = new long[stride];
            int* scratch = stackalloc int[MR * PW];
            fixed (int* pThr = thr, pSc = sc, pId = id, pSizes = sizes, pClean = clean)
            fixed (long* pKeys = keys)
            {
                var job = new Int8ScanJob
                {
                    Queries = packed, MicroBlocks = mbs, Count = nq, QueryBase = 0, Groups = plan.Groups,
                    Panels = (byte*)panelsPtr, Start = (int*)startPtr,
                    PanelFirst = (int)((long)plan.Panels * split / plan.Splits),
                    PanelEnd = (int)((long)plan.Panels * (split + 1) / plan.Splits),
                    TilePanels = plan.TilePanels, ThrI = pThr,
                    Scores = pSc, Ids = pId, Sizes = pSizes, Clean = pClean,
                    Capacity = cap, Limit = limit, Stride = stride, Keys = pKeys, Scratch = scratch,
                };
                if (plan.Kernel == Int8KernelKind.AvxVnni) Int8ScanKernels.ScanVnni(ref job, ex);
                else Int8ScanKernels.ScanScalar(ref job, ex);
                for (int i = 0; i < nq; i++)
                {
                    // Final cut: drop the last excluded entries and keep the best cap.
                    CandidateBuffer.Cut(ref job, ex, i);
                    var slot = cand.AsSpan((int)(((long)(q0 + i) * plan.Splits + split) * cap), cap);
                    for (int c = 0; c < sizes[i]; c++) slot[c] = Key(sc[(long)i * stride + c], perm[id[(long)i * stride + c]]);
                    slot[sizes[i]..].Fill(long.MinValue);
                }
            }
        }
        finally { NativeMemory.AlignedFree(packed); }
    }

    /// <summary>Exclusion rows of queries [q0, q0 + nq) as sorted scan positions (row i = query q0 + i).</summary>
    private static Exclusions ToPositions(Exclusions ex, int q0, int nq, int[] rank)
    {
        var ptr = new int[nq + 1];
        for (int i = 0; i < nq; i++) ptr[i + 1] = ptr[i] + ex.Row(q0 + i).Length;
        var pos = new int[ptr[nq]];
        for (int i = 0; i < nq; i++)
        {
            var row = ex.Row(q0 + i);
            var dst = pos.AsSpan(ptr[i], row.Length);
            // Ids outside the index (allowed in exclusion rows) can never be returned; map them past every position.
            for (int j = 0; j < row.Length; j++) dst[j] = (uint)row[j] < (uint)rank.Length ? rank[row[j]] : int.MaxValue;
            dst.Sort();
        }
        return new Exclusions(ptr, pos);
    }

    public void Dispose()
    {
        Free();
        GC.SuppressFinalize(this);
    }

    private void Free()
    {
        if (_panels != null) { NativeMemory.AlignedFree(_panels); _panels = null; }
        if (_start != null) { NativeMemory.AlignedFree(_start); _start = null; }
    }

    ~Int8ScanIndex() => Free();
}
