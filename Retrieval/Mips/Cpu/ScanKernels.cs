using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Recsys.Retrieval.Mips.Cpu;

/// <summary>
/// The register-blocked inner loops of <see cref="ExactCpuMipsIndex"/>. Each scans one query block over a range of
/// packed item panels, tile by tile (a tile of panels stays in L2 while every micro-block of queries passes over it),
/// computes an MR × PW block of scores in registers, and only when some score beats its query's threshold spills the
/// block to scratch and hands it to <see cref="HandleHits"/>. All kernels accumulate over dimensions in the same order
/// with fused multiply-adds, so they produce bit-identical scores.
/// Kept as static methods with AggressiveOptimization: the same loop inside a lambda ran at half speed in a trial.
/// </summary>
internal static unsafe class ScanKernels
{
    private const int MR = ScanJob.MR, PW = ScanJob.PW;

    /// <summary>AVX-512: 8 queries × 32 items in 16 zmm accumulators.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Scan512(ref ScanJob job, Exclusions? ex)
    {
        int d = job.Dim;
        for (int t0 = job.PanelFirst; t0 < job.PanelEnd; t0 += job.TilePanels)
        {
            int t1 = Math.Min(job.PanelEnd, t0 + job.TilePanels);
            for (int mb = 0; mb < job.MicroBlocks; mb++)
            {
                float* qBase = job.Queries + (long)mb * d * MR;
                float* thr = job.Thr + mb * MR;
                for (int p = t0; p < t1; p++)
                {
                    float* b = job.Panels + (long)p * d * PW;
                    float* q = qBase;
                    Vector512<float> c00 = default, c01 = default, c10 = default, c11 = default,
                        c20 = default, c21 = default, c30 = default, c31 = default,
                        c40 = default, c41 = default, c50 = default, c51 = default,
                        c60 = default, c61 = default, c70 = default, c71 = default;
                    for (int k = 0; k < d; k++)
                    {
                        var b0 = Vector512.Load(b);
                        var b1 = Vector512.Load(b + 16);
                        var a = Vector512.Create(q[0]); c00 = Avx512F.FusedMultiplyAdd(a, b0, c00); c01 = Avx512F.FusedMultiplyAdd(a, b1, c01);
                        a = Vector512.Create(q[1]); c10 = Avx512F.FusedMultiplyAdd(a, b0, c10); c11 = Avx512F.FusedMultiplyAdd(a, b1, c11);
                        a = Vector512.Create(q[2]); c20 = Avx512F.FusedMultiplyAdd(a, b0, c20); c21 = Avx512F.FusedMultiplyAdd(a, b1, c21);
                        a = Vector512.Create(q[3]); c30 = Avx512F.FusedMultiplyAdd(a, b0, c30); c31 = Avx512F.FusedMultiplyAdd(a, b1, c31);
                        a = Vector512.Create(q[4]); c40 = Avx512F.FusedMultiplyAdd(a, b0, c40); c41 = Avx512F.FusedMultiplyAdd(a, b1, c41);
                        a = Vector512.Create(q[5]); c50 = Avx512F.FusedMultiplyAdd(a, b0, c50); c51 = Avx512F.FusedMultiplyAdd(a, b1, c51);
                        a = Vector512.Create(q[6]); c60 = Avx512F.FusedMultiplyAdd(a, b0, c60); c61 = Avx512F.FusedMultiplyAdd(a, b1, c61);
                        a = Vector512.Create(q[7]); c70 = Avx512F.FusedMultiplyAdd(a, b0, c70); c71 = Avx512F.FusedMultiplyAdd(a, b1, c71);
                        b += PW; q += MR;
                    }
                    // Vectorised threshold test: most tiles end here without touching a heap.
                    uint m0 = Hits(c00, c01, thr[0]), m1 = Hits(c10, c11, thr[1]), m2 = Hits(c20, c21, thr[2]), m3 = Hits(c30, c31, thr[3]),
                         m4 = Hits(c40, c41, thr[4]), m5 = Hits(c50, c51, thr[5]), m6 = Hits(c60, c61, thr[6]), m7 = Hits(c70, c71, thr[7]);
                    if ((m0 | m1 | m2 | m3 | m4 | m5 | m6 | m7) == 0) continue;
                    float* s = job.Scratch;
                    c00.Store(s); c01.Store(s + 16); c10.Store(s + 32); c11.Store(s + 48);
                    c20.Store(s + 64); c21.Store(s + 80); c30.Store(s + 96); c31.Store(s + 112);
                    c40.Store(s + 128); c41.Store(s + 144); c50.Store(s + 160); c51.Store(s + 176);
                    c60.Store(s + 192); c61.Store(s + 208); c70.Store(s + 224); c71.Store(s + 240);
                    uint* m = job.Masks;
                    m[0] = m0; m[1] = m1; m[2] = m2; m[3] = m3; m[4] = m4; m[5] = m5; m[6] = m6; m[7] = m7;
                    HandleHits(ref job, ex, mb, p);
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Hits(Vector512<float> lo, Vector512<float> hi, float threshold)
    {
        var t = Vector512.Create(threshold);
        return (uint)Vector512.GreaterThan(lo, t).ExtractMostSignificantBits()
             | (uint)Vector512.GreaterThan(hi, t).ExtractMostSignificantBits() << 16;
    }

    /// <summary>AVX2/FMA: each 8 × 32 micro-tile as four 4-query × 16-item quarters (8 ymm accumulators each).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Scan256(ref ScanJob job, Exclusions? ex)
    {
        int d = job.Dim;
        for (int t0 = job.PanelFirst; t0 < job.PanelEnd; t0 += job.TilePanels)
        {
            int t1 = Math.Min(job.PanelEnd, t0 + job.TilePanels);
            for (int mb = 0; mb < job.MicroBlocks; mb++)
            {
                float* qBase = job.Queries + (long)mb * d * MR;
                float* thr = job.Thr + mb * MR;
                for (int p = t0; p < t1; p++)
                {
                    float* pBase = job.Panels + (long)p * d * PW;
                    uint any = 0;
                    for (int qh = 0; qh < MR; qh += 4)
                    {
                        uint mq0 = 0, mq1 = 0, mq2 = 0, mq3 = 0;
                        for (int ph = 0; ph < PW; ph += 16)
                        {
                            float* b = pBase + ph;
                            float* q = qBase + qh;
                            Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default,
                                c20 = default, c21 = default, c30 = default, c31 = default;
                            for (int k = 0; k < d; k++)
                            {
                                var b0 = Vector256.Load(b);
                                var b1 = Vector256.Load(b + 8);
                                var a = Vector256.Create(q[0]); c00 = Fma.MultiplyAdd(a, b0, c00); c01 = Fma.MultiplyAdd(a, b1, c01);
                                a = Vector256.Create(q[1]); c10 = Fma.MultiplyAdd(a, b0, c10); c11 = Fma.MultiplyAdd(a, b1, c11);
                                a = Vector256.Create(q[2]); c20 = Fma.MultiplyAdd(a, b0, c20); c21 = Fma.MultiplyAdd(a, b1, c21);
                                a = Vector256.Create(q[3]); c30 = Fma.MultiplyAdd(a, b0, c30); c31 = Fma.MultiplyAdd(a, b1, c31);
                                b += PW; q += MR;
                            }
                            float* s = job.Scratch + qh * PW + ph;
                            c00.Store(s); c01.Store(s + 8); c10.Store(s + PW); c11.Store(s + PW + 8);
                            c20.Store(s + 2 * PW); c21.Store(s + 2 * PW + 8); c30.Store(s + 3 * PW); c31.Store(s + 3 * PW + 8);
                            mq0 |= Hits(c00, c01, thr[qh]) << ph; mq1 |= Hits(c10, c11, thr[qh + 1]) << ph;
                            mq2 |= Hits(c20, c21, thr[qh + 2]) << ph; mq3 |= Hits(c30, c31, thr[qh + 3]) << ph;
                        }
                        uint* m = job.Masks + qh;
                        m[0] = mq0; m[1] = mq1; m[2] = mq2; m[3] = mq3;
                        any |= mq0 | mq1 | mq2 | mq3;
                    }
                    if (any != 0) HandleHits(ref job, ex, mb, p);
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Hits(Vector256<float> lo, Vector256<float> hi, float threshold)
    {
        var t = Vector256.Create(threshold);
        return Vector256.GreaterThan(lo, t).ExtractMostSignificantBits()
             | Vector256.GreaterThan(hi, t).ExtractMostSignificantBits() << 8;
    }

    /// <summary>Portable fallback with the same accumulation order (scalar fused multiply-add).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ScanScalar(ref ScanJob job, Exclusions? ex)
    {
        int d = job.Dim;
        for (int t0 = job.PanelFirst; t0 < job.PanelEnd; t0 += job.TilePanels)
        {
            int t1 = Math.Min(job.PanelEnd, t0 + job.TilePanels);
            for (int mb = 0; mb < job.MicroBlocks; mb++)
            {
                float* qBase = job.Queries + (long)mb * d * MR;
                float* thr = job.Thr + mb * MR;
                for (int p = t0; p < t1; p++)
                {
                    float* pBase = job.Panels + (long)p * d * PW;
                    float* s = job.Scratch;
                    for (int i = 0; i < MR * PW; i++) s[i] = 0f;
                    for (int k = 0; k < d; k++)
                    {
                        float* b = pBase + k * PW;
                        for (int i = 0; i < MR; i++)
                        {
                            float a = qBase[k * MR + i];
                            float* row = s + i * PW;
                            for (int j = 0; j < PW; j++) row[j] = MathF.FusedMultiplyAdd(a, b[j], row[j]);
                        }
                    }
                    uint any = 0;
                    for (int i = 0; i < MR; i++)
                    {
                        uint mask = 0;
                        float t = thr[i];
                        for (int j = 0; j < PW; j++) if (s[i * PW + j] > t) mask |= 1u << j;
                        job.Masks[i] = mask;
                        any |= mask;
                    }
                    if (any != 0) HandleHits(ref job, ex, mb, p);
                }
            }
        }
    }

    /// <summary>
    /// The rare path: offers each above-threshold score of micro-tile (mb, p) to its query's heap, skipping padding
    /// items and excluded items (binary search in the query's sorted exclusion row), and raises the threshold.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void HandleHits(ref ScanJob job, Exclusions? ex, int mb, int p)
    {
        int k = job.K;
        for (int i = 0; i < MR; i++)
        {
            uint mask = job.Masks[i];
            if (mask == 0) continue;
            int ql = mb * MR + i;
            if (ql >= job.Count) continue;
            float* hs = job.HeapScores + (long)ql * k;
            int* hi = job.HeapIds + (long)ql * k;
            ref int size = ref job.HeapSizes[ql];
            ReadOnlySpan<int> excl = ex is null ? default : ex.Row(job.QueryBase + ql);
            float* row = job.Scratch + i * PW;
            int idBase = p * PW;
            while (mask != 0)
            {
                int j = BitOperations.TrailingZeroCount(mask);
                mask &= mask - 1;
                int id = idBase + j;
                if (id >= job.ItemCount) break;
                float score = row[j];
                // Items arrive in ascending id order, so an equal score never displaces a kept (lower) id.
                if (!(score > job.Thr[ql])) continue;
                if (excl.Length != 0 && excl.BinarySearch(id) >= 0) continue;
                TopK.Push(new Span<int>(hi, k), new Span<float>(hs, k), ref size, id, score);
                if (size == k) job.Thr[ql] = hs[0];
            }
        }
    }
}
