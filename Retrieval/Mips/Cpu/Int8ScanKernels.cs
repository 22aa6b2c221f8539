using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Recsys.Retrieval.Mips.Cpu;

/// <summary>
/// The int8 first pass of <see cref="Int8MipsIndex"/>: an 8-query × 16-item register block of int32 scores, tile by
/// tile over the packed panels, with the candidate heaps fused in exactly as in <see cref="ScanKernels"/> (a
/// vectorised integer threshold test per query; only passing scores reach <see cref="HandleHits"/>).
/// Integer arithmetic is exact, so the AVX-VNNI and scalar kernels give identical scores.
/// Kept as static methods with AggressiveOptimization: the same loop inside a lambda ran at half speed in a trial.
/// </summary>
internal static unsafe class Int8ScanKernels
{
    private const int MR = Int8Quantizer.MR, PW = Int8Quantizer.PW;

    /// <summary>
    /// AVX-VNNI: 16 ymm accumulators (8 queries × 2 × 8 items), each <c>vpdpbusd</c> adds four u8 × s8 products per
    /// lane — 32 multiply-adds per instruction against 16 for an FP32 zmm FMA. .NET 10 exposes 512-bit VNNI only via
    /// Avx10v1 / AvxVnniInt8.V512, which AMD Zen 5 does not report, so this is the widest integer dot product available.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ScanVnni(ref Int8ScanJob job, Exclusions? ex)
    {
        int g = job.Groups;
        for (int t0 = job.PanelFirst; t0 < job.PanelEnd; t0 += job.TilePanels)
        {
            int t1 = Math.Min(job.PanelEnd, t0 + job.TilePanels);
            for (int mb = 0; mb < job.MicroBlocks; mb++)
            {
                byte* qBase = job.Queries + (long)mb * g * MR * 4;
                int* thr = job.ThrI + mb * MR;
                for (int p = t0; p < t1; p++)
                {
                    sbyte* b = job.Panels + (long)p * g * PW * 4;
                    byte* q = qBase;
                    // Start every accumulator at −128·ΣX (undoes the +128 query offset).
                    var s0 = Vector256.Load(job.Start + p * PW);
                    var s1 = Vector256.Load(job.Start + p * PW + 8);
                    Vector256<int> c00 = s0, c01 = s1, c10 = s0, c11 = s1, c20 = s0, c21 = s1, c30 = s0, c31 = s1,
                        c40 = s0, c41 = s1, c50 = s0, c51 = s1, c60 = s0, c61 = s1, c70 = s0, c71 = s1;
                    for (int k = 0; k < g; k++)
                    {
                        var b0 = Vector256.Load(b);
                        var b1 = Vector256.Load(b + 32);
                        var a = Q(q); c00 = AvxVnni.MultiplyWideningAndAdd(c00, a, b0); c01 = AvxVnni.MultiplyWideningAndAdd(c01, a, b1);
                        a = Q(q + 4); c10 = AvxVnni.MultiplyWideningAndAdd(c10, a, b0); c11 = AvxVnni.MultiplyWideningAndAdd(c11, a, b1);
                        a = Q(q + 8); c20 = AvxVnni.MultiplyWideningAndAdd(c20, a, b0); c21 = AvxVnni.MultiplyWideningAndAdd(c21, a, b1);
                        a = Q(q + 12); c30 = AvxVnni.MultiplyWideningAndAdd(c30, a, b0); c31 = AvxVnni.MultiplyWideningAndAdd(c31, a, b1);
                        a = Q(q + 16); c40 = AvxVnni.MultiplyWideningAndAdd(c40, a, b0); c41 = AvxVnni.MultiplyWideningAndAdd(c41, a, b1);
                        a = Q(q + 20); c50 = AvxVnni.MultiplyWideningAndAdd(c50, a, b0); c51 = AvxVnni.MultiplyWideningAndAdd(c51, a, b1);
                        a = Q(q + 24); c60 = AvxVnni.MultiplyWideningAndAdd(c60, a, b0); c61 = AvxVnni.MultiplyWideningAndAdd(c61, a, b1);
                        a = Q(q + 28); c70 = AvxVnni.MultiplyWideningAndAdd(c70, a, b0); c71 = AvxVnni.MultiplyWideningAndAdd(c71, a, b1);
                        b += PW * 4; q += MR * 4;
                    }
                    uint m0 = Hits(c00, c01, thr[0]), m1 = Hits(c10, c11, thr[1]), m2 = Hits(c20, c21, thr[2]), m3 = Hits(c30, c31, thr[3]),
                         m4 = Hits(c40, c41, thr[4]), m5 = Hits(c50, c51, thr[5]), m6 = Hits(c60, c61, thr[6]), m7 = Hits(c70, c71, thr[7]);
                    if ((m0 | m1 | m2 | m3 | m4 | m5 | m6 | m7) == 0) continue;
                    int* s = job.Scratch;
                    c00.Store(s); c01.Store(s + 8); c10.Store(s + 16); c11.Store(s + 24);
                    c20.Store(s + 32); c21.Store(s + 40); c30.Store(s + 48); c31.Store(s + 56);
                    c40.Store(s + 64); c41.Store(s + 72); c50.Store(s + 80); c51.Store(s + 88);
                    c60.Store(s + 96); c61.Store(s + 104); c70.Store(s + 112); c71.Store(s + 120);
                    uint* m = job.Masks;
                    m[0] = m0; m[1] = m1; m[2] = m2; m[3] = m3; m[4] = m4; m[5] = m5; m[6] = m6; m[7] = m7;
                    HandleHits(ref job, ex, mb, p);
                }
            }
        }
    }

    /// <summary>The four query bytes of one dimension group, broadcast to every lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<byte> Q(byte* q) => Vector256.Create(*(int*)q).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Hits(Vector256<int> lo, Vector256<int> hi, int threshold)
    {
        var t = Vector256.Create(threshold);
        return Vector256.GreaterThan(lo, t).ExtractMostSignificantBits() | Vector256.GreaterThan(hi, t).ExtractMostSignificantBits() << 8;
    }

    /// <summary>Portable fallback: the same integer scores, one product at a time.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ScanScalar(ref Int8ScanJob job, Exclusions? ex)
    {
        int g = job.Groups;
        for (int t0 = job.PanelFirst; t0 < job.PanelEnd; t0 += job.TilePanels)
        {
            int t1 = Math.Min(job.PanelEnd, t0 + job.TilePanels);
            for (int mb = 0; mb < job.MicroBlocks; mb++)
            {
                byte* qBase = job.Queries + (long)mb * g * MR * 4;
                int* thr = job.ThrI + mb * MR;
                for (int p = t0; p < t1; p++)
                {
                    sbyte* pBase = job.Panels + (long)p * g * PW * 4;
                    int* s = job.Scratch;
                    for (int i = 0; i < MR; i++)
                        for (int j = 0; j < PW; j++) s[i * PW + j] = job.Start[p * PW + j];
                    for (int k = 0; k < g; k++)
                    {
                        sbyte* b = pBase + k * PW * 4;
                        byte* q = qBase + k * MR * 4;
                        for (int i = 0; i < MR; i++)
                            for (int j = 0; j < PW; j++)
                                s[i * PW + j] += q[i * 4] * b[j * 4] + q[i * 4 + 1] * b[j * 4 + 1] + q[i * 4 + 2] * b[j * 4 + 2] + q[i * 4 + 3] * b[j * 4 + 3];
                    }
                    uint any = 0;
                    for (int i = 0; i < MR; i++)
                    {
                        uint mask = 0;
                        for (int j = 0; j < PW; j++) if (s[i * PW + j] > thr[i]) mask |= 1u << j;
                        job.Masks[i] = mask;
                        any |= mask;
                    }
                    if (any != 0) HandleHits(ref job, ex, mb, p);
                }
            }
        }
    }

    /// <summary>
    /// Offers each above-threshold score of micro-tile (mb, p) to its query's candidate heap, skipping padding items
    /// and excluded items, and raises the query's integer threshold once its heap is full.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void HandleHits(ref Int8ScanJob job, Exclusions? ex, int mb, int p)
    {
        int cap = job.Capacity;
        for (int i = 0; i < MR; i++)
        {
            uint mask = job.Masks[i];
            if (mask == 0) continue;
            int ql = mb * MR + i;
            if (ql >= job.Count) continue;
            float* hs = job.HeapScores + (long)ql * cap;
            int* hi = job.HeapIds + (long)ql * cap;
            ref int size = ref job.HeapSizes[ql];
            ReadOnlySpan<int> excl = ex is null ? default : ex.Row(job.QueryBase + ql);
            int* row = job.Scratch + i * PW;
            int idBase = p * PW;
            while (mask != 0)
            {
                int j = BitOperations.TrailingZeroCount(mask);
                mask &= mask - 1;
                int id = idBase + j;
                if (id >= job.ItemCount) break;
                int score = row[j];
                // Items arrive in ascending id order, so an equal score never displaces a kept (lower) id.
                if (score <= job.ThrI[ql]) continue;
                if (excl.Length != 0 && excl.BinarySearch(id) >= 0) continue;
                TopKHeap.Push(hs, hi, ref size, cap, score, id);
                // Heap scores are integers held exactly as floats (|score| < 2^24 for dim ≤ 1040); beyond that
                // rounding only blurs the approximate first pass, never the exact answer.
                if (size == cap) job.ThrI[ql] = (int)Math.Clamp(Math.Floor((double)hs[0]), int.MinValue, int.MaxValue - 1.0);
            }
        }
    }
}
