using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace Recsys.Retrieval.Mips.Cpu;

/// <summary>
/// The second pass of a reduced-precision search: each candidate is re-scored exactly in FP32 and the best k kept
/// (score descending, ties → lower id; −∞ and NaN never returned; rows padded with −1 / −∞). Scores accumulate over
/// dimensions in order with fused multiply-adds, as <see cref="ScanKernels"/> does, so they are bit-identical to
/// <see cref="ExactCpuMipsIndex"/>'s.
/// </summary>
internal static unsafe class ExactRerank
{
    /// <summary>
    /// Re-ranks query <paramref name="query"/> [dim] against the <paramref name="candidates"/> ids of the row-major
    /// <paramref name="items"/>, using <paramref name="heapScores"/>/<paramref name="heapIds"/> (length ≥ k) as scratch.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(float* query, float* items, int dim, ReadOnlySpan<int> candidates, float* heapScores, int* heapIds,
        Span<float> outScores, Span<int> outIds)
    {
        int k = outIds.Length, size = 0, n = candidates.Length, c = 0;
        // Four candidates at a time: independent FMA chains hide the FMA latency.
        for (; c + 4 <= n; c += 4)
        {
            int i0 = candidates[c], i1 = candidates[c + 1], i2 = candidates[c + 2], i3 = candidates[c + 3];
            float* x0 = items + (long)i0 * dim, x1 = items + (long)i1 * dim, x2 = items + (long)i2 * dim, x3 = items + (long)i3 * dim;
            // Candidate rows are scattered over the item matrix: fetch the next group's rows while this one computes.
            if (Sse.IsSupported && c + 8 <= n)
                for (int j = c + 4; j < c + 8; j++)
                {
                    byte* row = (byte*)(items + (long)candidates[j] * dim);
                    for (int off = 0; off < dim * sizeof(float); off += 64) Sse.Prefetch0(row + off);
                }
            float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
            for (int t = 0; t < dim; t++)
            {
                float a = query[t];
                s0 = MathF.FusedMultiplyAdd(a, x0[t], s0);
                s1 = MathF.FusedMultiplyAdd(a, x1[t], s1);
                s2 = MathF.FusedMultiplyAdd(a, x2[t], s2);
                s3 = MathF.FusedMultiplyAdd(a, x3[t], s3);
            }
            Offer(heapScores, heapIds, ref size, k, s0, i0);
            Offer(heapScores, heapIds, ref size, k, s1, i1);
            Offer(heapScores, heapIds, ref size, k, s2, i2);
            Offer(heapScores, heapIds, ref size, k, s3, i3);
        }
        for (; c < n; c++)
        {
            int id = candidates[c];
            float* x = items + (long)id * dim;
            float s = 0;
            for (int t = 0; t < dim; t++) s = MathF.FusedMultiplyAdd(query[t], x[t], s);
            Offer(heapScores, heapIds, ref size, k, s, id);
        }
        TopK.Drain(new Span<int>(heapIds, k), new Span<float>(heapScores, k), size, outIds, outScores);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Offer(float* hs, int* hi, ref int size, int k, float score, int id)
    {
        // Same rule as the exact kernels: an item scoring −∞ or NaN is never returned.
        if (score > float.NegativeInfinity) TopK.Push(new Span<int>(hi, k), new Span<float>(hs, k), ref size, id, score);
    }
}
