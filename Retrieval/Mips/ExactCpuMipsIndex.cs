using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Recsys.Retrieval.Mips.Cpu;

namespace Recsys.Retrieval.Mips;

/// <summary>
/// Exact maximum-inner-product search on the CPU. Items are packed once into panels of 32 items laid out
/// dimension-major ([panel][dim][32], 64-byte aligned, zero-padded), so the kernel streams them with aligned vector
/// loads. A search splits the queries into blocks spread over threads; each block is scanned tile by tile (tiles of
/// panels sized to L2) by a register-blocked 8-query × 32-item kernel (<see cref="MipsKernelKind"/>) with the top-k
/// fused in: a vectorised threshold test per query keeps almost every score away from the bounded per-query heap, and
/// exclusion lists are checked only for scores that pass it. With fewer query blocks than threads (e.g. one query over
/// a million items) the item range is split across threads too and the partial top-k lists are merged.
/// Ties are broken by the lower item id; items scoring −∞ or NaN are never returned.
/// </summary>
public sealed unsafe partial class ExactCpuMipsIndex : IMipsIndex, ICandidateRescorer
{
    private const int MR = ScanJob.MR, PW = ScanJob.PW;
    private readonly ExactCpuMipsOptions _options;
    private float* _panels;
    private readonly int _numPanels;

    /// <summary>Packs <paramref name="items"/> (row-major [count, dim]).</summary>
    public ExactCpuMipsIndex(ReadOnlySpan<float> items, int dim, ExactCpuMipsOptions? options = null)
    {
        _options = options ?? new ExactCpuMipsOptions();
        _options.Validate();
        MipsArguments.ItemCount(items, dim);
        Dim = dim;
        Count = items.Length / dim;
        Kernel = Resolve(_options.Kernel);
        _numPanels = (Count + PW - 1) / PW;
        nuint bytes = (nuint)Math.Max(1L, (long)_numPanels * dim * PW) * sizeof(float);
        _panels = (float*)NativeMemory.AlignedAlloc(bytes, 64);
        NativeMemory.Clear(_panels, bytes);
        for (int i = 0; i < Count; i++)
        {
            float* dst = _panels + (long)(i / PW) * dim * PW + i % PW;
            var src = items.Slice(i * dim, dim);
            for (int k = 0; k < dim; k++) dst[k * PW] = src[k];
        }
    }

    public int Count { get; }
    public int Dim { get; }
    /// <summary>The kernel this index runs (Auto resolved against the CPU).</summary>
    public MipsKernelKind Kernel { get; }
    /// <summary>Bytes of packed item data the kernel streams per full scan.</summary>
    public long PackedBytes => (long)_numPanels * Dim * PW * sizeof(float);

    public static MipsKernelKind Resolve(MipsKernelKind requested) => requested switch
    {
        MipsKernelKind.Auto => Avx512F.IsSupported && Vector512.IsHardwareAccelerated ? MipsKernelKind.Vector512
            : Fma.IsSupported && Avx2.IsSupported ? MipsKernelKind.Vector256 : MipsKernelKind.Scalar,
        MipsKernelKind.Vector512 when !Avx512F.IsSupported => throw new PlatformNotSupportedException("this CPU has no AVX-512F; use Vector256 or Auto."),
        MipsKernelKind.Vector256 when !(Fma.IsSupported && Avx2.IsSupported) => throw new PlatformNotSupportedException("this CPU has no AVX2/FMA; use Scalar or Auto."),
        _ => requested,
    };

    public MipsResult Search(ReadOnlySpan<float> queries, int k, Exclusions? exclude = null)
    {
        ObjectDisposedException.ThrowIf(_panels == null, this);
        int n = MipsArguments.QueryCount(queries, Dim, k, exclude);
        var ids = new int[(long)n * k];
        var scores = new float[(long)n * k];
        if (n == 0) return new MipsResult(0, k, ids, scores);

        int threads = _options.EffectiveThreads;
        int qb = (Math.Min(_options.QueryBlock, Math.Max(1, (n + threads - 1) / threads)) + MR - 1) / MR * MR;
        int blocks = (n + qb - 1) / qb;
        // Too few query blocks to keep every thread busy: split the item range as well and merge afterwards.
        int splits = threads == 1 || blocks >= 2 * threads ? 1 : Math.Max(1, Math.Min(_numPanels, (2 * threads + blocks - 1) / blocks));
        int tilePanels = Math.Max(1, _options.TileBytes / (Dim * PW * sizeof(float)));
        var plan = new Plan(Dim, Count, _numPanels, tilePanels, qb, blocks, splits, k, Kernel);
        float[]? partS = splits > 1 ? new float[(long)blocks * splits * qb * k] : null;
        int[]? partI = splits > 1 ? new int[partS!.Length] : null;

        fixed (float* q = queries)
        {
            nint qp = (nint)q, pp = (nint)_panels;
            int work = blocks * splits;
            var po = new ParallelOptions { MaxDegreeOfParallelism = threads };
            if (threads == 1 || work == 1)
                for (int w = 0; w < work; w++) RunWork(plan, qp, n, pp, w, exclude, ids, scores, partS, partI);
            else
                Parallel.For(0, work, po, w => RunWork(plan, qp, n, pp, w, exclude, ids, scores, partS, partI));
        }
        if (splits > 1) Merge(plan, n, partS!, partI!, ids, scores);
        return new MipsResult(n, k, ids, scores);
    }

    private sealed record Plan(int Dim, int ItemCount, int Panels, int TilePanels, int QueryBlock, int Blocks, int Splits, int K, MipsKernelKind Kernel);

    /// <summary>Scans query block w / Splits over item split w % Splits; writes finished rows (or a partial list).</summary>
    private static void RunWork(Plan plan, nint queriesPtr, int n, nint panelsPtr, int w, Exclusions? ex,
        int[] ids, float[] scores, float[]? partS, int[]? partI)
    {
        int block = w / plan.Splits, split = w % plan.Splits;
        int q0 = block * plan.QueryBlock, nq = Math.Min(plan.QueryBlock, n - q0);
        int d = plan.Dim, k = plan.K, mbs = (nq + MR - 1) / MR;
        float* packed = (float*)NativeMemory.AlignedAlloc((nuint)mbs * (nuint)d * MR * sizeof(float), 64);
        try
        {
            PackQueries((float*)queriesPtr + (long)q0 * d, nq, d, packed, mbs);
            var thr = new float[mbs * MR];
            thr.AsSpan(0, nq).Fill(float.NegativeInfinity);
            thr.AsSpan(nq).Fill(float.PositiveInfinity);
            var hs = new float[nq * k];
            var hi = new int[nq * k];
            var sizes = new int[nq];
            float* scratch = stackalloc float[MR * PW];
            uint* masks = stackalloc uint[MR];
            fixed (float* pThr = thr, pHs = hs)
            fixed (int* pHi = hi, pSizes = sizes)
            {
                var job = new ScanJob
                {
                    Queries = packed, MicroBlocks = mbs, Count = nq, QueryBase = q0, Dim = d,
                    Panels = (float*)panelsPtr,
                    PanelFirst = (int)((long)plan.Panels * split / plan.Splits),
                    PanelEnd = (int)((long)plan.Panels * (split + 1) / plan.Splits),
                    TilePanels = plan.TilePanels, ItemCount = plan.ItemCount, K = k,
                    Thr = pThr, HeapScores = pHs, HeapIds = pHi, HeapSizes = pSizes, Scratch = scratch, Masks = masks,
                };
                switch (plan.Kernel)
                {
                    case MipsKernelKind.Vector512: ScanKernels.Scan512(ref job, ex); break;
                    case MipsKernelKind.Vector256: ScanKernels.Scan256(ref job, ex); break;
                    default: ScanKernels.ScanScalar(ref job, ex); break;
                }
                for (int i = 0; i < nq; i++)
                {
                    long dst = partS is null ? (long)(q0 + i) * k : ((long)w * plan.QueryBlock + i) * k;
                    var os = partS is null ? scores.AsSpan((int)dst, k) : partS.AsSpan((int)dst, k);
                    var oi = partI is null ? ids.AsSpan((int)dst, k) : partI.AsSpan((int)dst, k);
                    TopK.Drain(new Span<int>(pHi + (long)i * k, k), new Span<float>(pHs + (long)i * k, k), pSizes[i], oi, os);
                }
            }
        }
        finally { NativeMemory.AlignedFree(packed); }
    }

    /// <summary>Row-major [nq, d] → [micro-block][d][MR], zero rows for padding.</summary>
    private static void PackQueries(float* src, int nq, int d, float* dst, int mbs)
    {
        NativeMemory.Clear(dst, (nuint)mbs * (nuint)d * MR * sizeof(float));
        for (int i = 0; i < nq; i++)
        {
            float* o = dst + (long)(i / MR) * d * MR + i % MR;
            float* s = src + (long)i * d;
            for (int k = 0; k < d; k++) o[k * MR] = s[k];
        }
    }

    /// <summary>Merges each query's per-split sorted lists (score descending, ties by lower id) with <see cref="TopKMerge"/>.</summary>
    private static void Merge(Plan plan, int n, float[] partS, int[] partI, int[] ids, float[] scores)
    {
        int k = plan.K, splits = plan.Splits, stride = plan.QueryBlock * k;
        for (int q = 0; q < n; q++)
        {
            int block = q / plan.QueryBlock, i = q % plan.QueryBlock;
            int at = (block * splits * plan.QueryBlock + i) * k, len = (splits - 1) * stride + k;
            TopKMerge.MergeRow(partI.AsSpan(at, len), partS.AsSpan(at, len), splits, stride, k,
                ids.AsSpan(q * k, k), scores.AsSpan(q * k, k));
        }
    }

    public void Dispose()
    {
        if (_panels != null) { NativeMemory.AlignedFree(_panels); _panels = null; }
        GC.SuppressFinalize(this);
    }

    ~ExactCpuMipsIndex() { if (_panels != null) NativeMemory.AlignedFree(_panels); }
}
