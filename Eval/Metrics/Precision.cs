namespace Recsys.Eval.Metrics;

/// <summary>Precision@K = |top-K ∩ test| / K (K, not the list length, so padded lists are not rewarded).</summary>
public sealed class Precision(int k) : RankingMetric("precision", k)
{
    protected override double Value(ReadOnlySpan<bool> hits, int numRelevant) => (double)CountHits(hits) / K;
}
