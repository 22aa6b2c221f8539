namespace Recsys.Eval.Metrics;

/// <summary>Hit@K = 1 when at least one test item is in the top K, else 0.</summary>
public sealed class HitRate(int k) : RankingMetric("hit", k)
{
    protected override double Value(ReadOnlySpan<bool> hits, int numRelevant) => hits.Contains(true) ? 1.0 : 0.0;
}
