namespace Recsys.Retrieval.Mips;

/// <summary>
/// <see cref="ExactCpuMipsIndex"/> as the exact stage of a <see cref="RefineIndex"/>: candidates are scored straight
/// from the packed panels (item i, dimension t at panel i / 32, offset t·32 + i % 32) with in-order fused
/// multiply-adds — the kernels' accumulation order, so the scores are bit-identical to a search of this index — so a
/// refine stage needs no second FP32 copy of the items.
/// </summary>
public sealed unsafe partial class ExactCpuMipsIndex
{
    public MipsResult Rerank(ReadOnlySpan<float> queries, ReadOnlySpan<int> candidates, int perQuery, int k)
    {
        ObjectDisposedException.ThrowIf(_panels == null, this);
        int n = MipsArguments.QueryCount(queries, Dim, k, null);
        if (perQuery < 0 || candidates.Length != (long)n * perQuery)
            throw new ArgumentException($"candidates hold {candidates.Length} ids, expected {n} queries × {perQuery}.", nameof(candidates));
        foreach (int id in candidates)
            if (id >= Count) throw new ArgumentOutOfRangeException(nameof(candidates), id, $"candidate beyond the {Count} items.");
        var ids = new int[(long)n * k];
        var scores = new float[(long)n * k];
        if (n == 0) return new MipsResult(0, k, ids, scores);
        int threads = _options.EffectiveThreads;
        fixed (float* q = queries)
        fixed (int* c = candidates)
        {
            nint qp = (nint)q, cp = (nint)c;
            int chunks = Math.Min(n, threads * 4);
            if (threads == 1 || chunks == 1) RerankRows(qp, cp, perQuery, 0, n, k, ids, scores);
            else Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = threads },
                ch => RerankRows(qp, cp, perQuery, (int)((long)n * ch / chunks), (int)((long)n * (ch + 1) / chunks), k, ids, scores));
        }
        return new MipsResult(n, k, ids, scores);
    }

    private void RerankRows(nint queries, nint candidates, int perQuery, int q0, int q1, int k, int[] ids, float[] scores)
    {
        int d = Dim;
        var hi = new int[k];
        var hs = new float[k];
        for (int q = q0; q < q1; q++)
        {
            float* x = (float*)queries + (long)q * d;
            int size = 0;
            foreach (int id in new ReadOnlySpan<int>((int*)candidates + (long)q * perQuery, perQuery))
            {
                if (id < 0) continue;
                float* col = _panels + (long)(id / PW) * d * PW + id % PW;
                float s = 0;
                for (int t = 0; t < d; t++) s = MathF.FusedMultiplyAdd(x[t], col[(long)t * PW], s);
                // Same rule as the kernels: an item scoring −∞ or NaN is never returned.
                if (s > float.NegativeInfinity) TopK.Push(hi, hs, ref size, id, s);
            }
            TopK.Drain(hi, hs, size, ids.AsSpan(q * k, k), scores.AsSpan(q * k, k));
        }
    }
}
