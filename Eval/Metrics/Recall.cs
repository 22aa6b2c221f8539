namespace Recsys.Eval.Metrics;

/// <summary>Recall@K = |top-K ∩ test| / |test| (NGCF / LightGCN protocol).</summary>
public sealed class Recall(int k) : RankingMetric("recall", k)
{
    protected override double Value(ReadOnlySpan<bool> hits, int numRelevant) => (double)CountHits(hits) / numRelevant;
}
