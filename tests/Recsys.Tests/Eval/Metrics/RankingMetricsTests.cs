using Recsys.Eval.Metrics;

namespace Recsys.Tests.Eval.Metrics;

public class RankingMetricsTests
{
    [Fact]
    public void StandardSetIsOrderedByKThenFamily()
    {
        var keys = RankingMetrics.Standard([50, 20, 20], legacyNdcg: true).Select(m => m.Key).ToArray();
        Assert.Equal(new[]
        {
            "recall@20", "ndcg@20", "precision@20", "hit@20", "mrr@20", "map@20", "ndcg_legacy@20",
            "recall@50", "ndcg@50", "precision@50", "hit@50", "mrr@50", "map@50", "ndcg_legacy@50",
        }, keys);
    }
}
