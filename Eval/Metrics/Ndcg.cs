namespace Recsys.Eval.Metrics;

/// <summary>
/// NDCG@K, the standard formula (LightGCN paper and code): DCG = Σ over hits at 0-based rank r of 1/log2(r+2),
/// divided by the ideal DCG of min(|test|, K) hits at the top. A single hit at rank 2 with |test| = 1 gives 1/log2(3).
/// </summary>
public sealed class Ndcg(int k) : RankingMetric("ndcg", k)
{
    protected override double Value(ReadOnlySpan<bool> hits, int numRelevant)
    {
        double dcg = 0;
        for (int r = 0; r < hits.Length; r++)
            if (hits[r]) dcg += Discount(r);
        return dcg / IdealDcg(Math.Min(numRelevant, K));
    }
}
