namespace Recsys.Eval.Metrics;

/// <summary>MRR@K = 1 / (1-based rank of the first hit in the top K), 0 without a hit.</summary>
public sealed class Mrr(int k) : RankingMetric("mrr", k)
{
    protected override double Value(ReadOnlySpan<bool> hits, int numRelevant)
    {
        int first = hits.IndexOf(true);
        return first < 0 ? 0.0 : 1.0 / (first + 1);
    }
}
