namespace Recsys.Eval.Metrics;

/// <summary>
/// NDCG@K as computed by the NGCF and KGAT official code (<c>metrics.ndcg_at_k</c>): the ideal DCG is built by
/// sorting the top-K hit vector itself, i.e. from the h hits inside the top K rather than min(|test|, K) items.
/// It ignores test items that were missed, so it is inflated (NGCF issue #34); reported as "ndcg_legacy@K" only
/// to reproduce those papers' numbers. 0 when the list has no hit.
/// </summary>
public sealed class LegacyNdcg(int k) : RankingMetric("ndcg_legacy", k)
{
    protected override double Value(ReadOnlySpan<bool> hits, int numRelevant)
    {
        double dcg = 0;
        int h = 0;
        for (int r = 0; r < hits.Length; r++)
            if (hits[r]) { dcg += Discount(r); h++; }
        return h == 0 ? 0.0 : dcg / IdealDcg(h);
    }
}
