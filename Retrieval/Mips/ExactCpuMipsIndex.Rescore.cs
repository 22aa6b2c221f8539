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
        return RescoreDriver.Run(queries, candidates, perQuery, k, Dim, Count, _options.EffectiveThreads, RerankRows);
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
