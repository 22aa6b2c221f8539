using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Recsys.Retrieval.Mips.Cpu;

/// <summary>
/// The int8 first pass of <see cref="Int8MipsIndex"/>: a 6-query × 16-item register block of int32 scores, tile by
/// tile over the packed panels, with candidate selection fused in: a vectorised integer threshold test per query, and
/// only for tiles with a passing score, a compress-store of the passing lanes into the query's <see cref="CandidateBuffer"/>.
/// Integer arithmetic is exact, so the AVX-VNNI and scalar kernels give identical scores.
/// Kept as static methods with AggressiveOptimization: the same loop inside a lambda ran at half speed in a trial.
/// </summary>
internal static unsafe class Int8ScanKernels
{
    private const int MR = Int8Quantizer.MR, PW = Int8Quantizer.PW;

    /// <summary>
    /// AVX-VNNI: 12 ymm accumulators (6 queries × 2 × 8 items), each <c>vpdpbusd</c> adds four u8 (item) × s8 (query) products per
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
                sbyte* qBase = job.Queries + (long)mb * g * MR * 4;
                int* thr = job.ThrI + mb * MR;
                for (int p = t0; p < t1; p++)
                    if (Tile(job.Panels + (long)p * g * PW * 4, qBase, g, job.Start + p * PW, thr, job.Scratch) != 0)
                        AdmitTile(ref job, ex, mb, p);
            }
        }
    }

    /// <summary>
    /// One 6-query × 16-item micro-tile: returns a nonzero mask when some score beats its query's threshold, and then
    /// leaves the scores in <paramref name="scratch"/> [MR][PW]. Kept free of calls, and at 12 accumulators, so that the
    /// JIT holds every accumulator in a register: with a call in the same method it spilled them inside the dot-product
    /// loop, and with 16 (8 queries) it still spilled one per iteration (it keeps accumulators in ymm0–15).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    private static uint Tile(byte* b, sbyte* q, int g, int* start, int* thr, int* scratch)
    {
        // Items start at 0, padding items at int.MinValue (their bytes are all zero, so they stay there).
        var s0 = Vector256.Load(start);
        var s1 = Vector256.Load(start + 8);
        Vector256<int> c00 = s0, c01 = s1, c10 = s0, c11 = s1, c20 = s0, c21 = s1, c30 = s0, c31 = s1,
            c40 = s0, c41 = s1, c50 = s0, c51 = s1;
        for (int k = 0; k < g; k++)
        {
            var b0 = Vector256.Load(b);
            var b1 = Vector256.Load(b + 32);
            var a = Q(q); c00 = AvxVnni.MultiplyWideningAndAdd(c00, b0, a); c01 = AvxVnni.MultiplyWideningAndAdd(c01, b1, a);
            a = Q(q + 4); c10 = AvxVnni.MultiplyWideningAndAdd(c10, b0, a); c11 = AvxVnni.MultiplyWideningAndAdd(c11, b1, a);
            a = Q(q + 8); c20 = AvxVnni.MultiplyWideningAndAdd(c20, b0, a); c21 = AvxVnni.MultiplyWideningAndAdd(c21, b1, a);
            a = Q(q + 12); c30 = AvxVnni.MultiplyWideningAndAdd(c30, b0, a); c31 = AvxVnni.MultiplyWideningAndAdd(c31, b1, a);
            a = Q(q + 16); c40 = AvxVnni.MultiplyWideningAndAdd(c40, b0, a); c41 = AvxVnni.MultiplyWideningAndAdd(c41, b1, a);
            a = Q(q + 20); c50 = AvxVnni.MultiplyWideningAndAdd(c50, b0, a); c51 = AvxVnni.MultiplyWideningAndAdd(c51, b1, a);
            b += PW * 4; q += MR * 4;
        }
        // Vectorised threshold test; most tiles end here. Padding items start at int.MinValue and never pass.
        uint any = Any(c00, c01, thr[0]) | Any(c10, c11, thr[1]) | Any(c20, c21, thr[2]) | Any(c30, c31, thr[3])
                 | Any(c40, c41, thr[4]) | Any(c50, c51, thr[5]);
        if (any == 0) return 0;
        int* s = scratch;
        c00.Store(s); c01.Store(s + 8); c10.Store(s + 16); c11.Store(s + 24);
        c20.Store(s + 32); c21.Store(s + 40); c30.Store(s + 48); c31.Store(s + 56);
        c40.Store(s + 64); c41.Store(s + 72); c50.Store(s + 80); c51.Store(s + 88);
        return any;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Any(Vector256<int> lo, Vector256<int> hi, int threshold)
    {
        var t = Vector256.Create(threshold);
        return Vector256.GreaterThan(lo, t).ExtractMostSignificantBits() | Vector256.GreaterThan(hi, t).ExtractMostSignificantBits() << 8;
    }

    /// <summary>Admits micro-tile (mb, p) from scratch into the buffers of its queries; cuts buffers that reached their limit.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void AdmitTile(ref Int8ScanJob job, Exclusions? ex, int mb, int p)
    {
        var ids0 = Vector256.Create(p * PW) + Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7);
        var ids1 = ids0 + Vector256.Create(8);
        int q0 = mb * MR, n = Math.Min(MR, job.Count - q0);
        for (int i = 0; i < n; i++)
        {
            int ql = q0 + i;
            var lo = Vector256.Load(job.Scratch + i * PW);
            var hi = Vector256.Load(job.Scratch + i * PW + 8);
            var t = Vector256.Create(job.ThrI[ql]);
            var g0 = Vector256.GreaterThan(lo, t);
            var g1 = Vector256.GreaterThan(hi, t);
            if ((g0 | g1) == Vector256<int>.Zero) continue;
            long at = (long)ql * job.Stride;
            int size = job.Sizes[ql];
            Avx512F.VL.Compress(Vector256<int>.Zero, g0, lo).Store(job.Scores + at + size);
            Avx512F.VL.Compress(Vector256<int>.Zero, g0, ids0).Store(job.Ids + at + size);
            size += BitOperations.PopCount(g0.ExtractMostSignificantBits());
            Avx512F.VL.Compress(Vector256<int>.Zero, g1, hi).Store(job.Scores + at + size);
            Avx512F.VL.Compress(Vector256<int>.Zero, g1, ids1).Store(job.Ids + at + size);
            size += BitOperations.PopCount(g1.ExtractMostSignificantBits());
            job.Sizes[ql] = size;
            if (size >= job.Limit) CandidateBuffer.Cut(ref job, ex, ql);
        }
    }

    /// <summary>The four query bytes of one dimension group, broadcast to every lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<sbyte> Q(sbyte* q) => Vector256.Create(*(int*)q).AsSByte();

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
                sbyte* qBase = job.Queries + (long)mb * g * MR * 4;
                int* thr = job.ThrI + mb * MR;
                for (int p = t0; p < t1; p++)
                {
                    byte* pBase = job.Panels + (long)p * g * PW * 4;
                    int* s = job.Scratch;
                    for (int i = 0; i < MR; i++)
                        for (int j = 0; j < PW; j++) s[i * PW + j] = job.Start[p * PW + j];
                    for (int k = 0; k < g; k++)
                    {
                        byte* b = pBase + k * PW * 4;
                        sbyte* q = qBase + k * MR * 4;
                        for (int i = 0; i < MR; i++)
                            for (int j = 0; j < PW; j++)
                                s[i * PW + j] += q[i * 4] * b[j * 4] + q[i * 4 + 1] * b[j * 4 + 1] + q[i * 4 + 2] * b[j * 4 + 2] + q[i * 4 + 3] * b[j * 4 + 3];
                    }
                    for (int i = 0; i < MR; i++)
                    {
                        int ql = mb * MR + i;
                        if (ql >= job.Count) break;
                        long at = (long)ql * job.Stride;
                        for (int j = 0; j < PW; j++)
                        {
                            int score = s[i * PW + j];
                            if (score <= thr[i]) continue;
                            int size = job.Sizes[ql];
                            job.Scores[at + size] = score;
                            job.Ids[at + size] = p * PW + j;
                            job.Sizes[ql] = ++size;
                            if (size >= job.Limit) CandidateBuffer.Cut(ref job, ex, ql);
                        }
                    }
                }
            }
        }
    }
}
