namespace Recsys.Eval.Metrics;

/// <summary>Builds the standard metric set: for each K, recall, ndcg, precision, hit, mrr, map (+ ndcg_legacy on request).</summary>
public static class RankingMetrics
{
    /// <summary>
    /// Metrics ordered by K, then recall, ndcg, precision, hit, mrr, map[, ndcg_legacy] — the order of the
    /// JSON keys and table rows.
    /// </summary>
    public static IReadOnlyList<IRankingMetric> Standard(IEnumerable<int> ks, bool legacyNdcg = false)
    {
        var list = new List<IRankingMetric>();
        foreach (var k in ks.Distinct().Order())
        {
            list.Add(new Recall(k));
            list.Add(new Ndcg(k));
            list.Add(new Precision(k));
            list.Add(new HitRate(k));
            list.Add(new Mrr(k));
            list.Add(new MeanAveragePrecision(k));
            if (legacyNdcg) list.Add(new LegacyNdcg(k));
        }
        return list;
    }
}
