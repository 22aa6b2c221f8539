namespace Recsys.Eval.Metrics;

/// <summary>
/// AP@K = Σ over hits at 1-based rank r of precision@r, divided by min(|test|, K); its mean over users is MAP@K.
/// </summary>
public sealed class MeanAveragePrecision(int k) : RankingMetric("map", k)
{
    protected override double Value(ReadOnlySpan<bool> hits, int numRelevant)
    {
        double sum = 0;
        int h = 0;
        for (int r = 0; r < hits.Length; r++)
            if (hits[r]) sum += (double)++h / (r + 1);
        return sum / Math.Min(numRelevant, K);
    }
}
