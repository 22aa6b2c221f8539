namespace Recsys.Eval.Metrics;

/// <summary>
/// A top-K ranking metric computed per user from the hit vector of the user's ranked list: <c>hits[r]</c> is true
/// when the item at 0-based rank r is relevant (in the user's test set). Only the first <see cref="K"/> entries
/// count; a shorter vector (padded list) means misses. <c>numRelevant</c> is |test| (at least 1).
/// </summary>
public interface IRankingMetric
{
    /// <summary>Metric family, e.g. "recall", "ndcg", "ndcg_legacy".</summary>
    string Name { get; }

    /// <summary>Cut-off (list length) the metric looks at.</summary>
    int K { get; }

    /// <summary>The JSON / table key, e.g. "recall@20".</summary>
    string Key { get; }

    /// <summary>This user's value, in [0, 1].</summary>
    double Compute(ReadOnlySpan<bool> hits, int numRelevant);
}

/// <summary>Shared name/K plumbing for the built-in metrics.</summary>
public abstract class RankingMetric : IRankingMetric
{
    protected RankingMetric(string name, int k)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1, nameof(k));
        Name = name; K = k; Key = $"{name}@{k}";
    }

    public string Name { get; }
    public int K { get; }
    public string Key { get; }

    public double Compute(ReadOnlySpan<bool> hits, int numRelevant)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(numRelevant, 1, nameof(numRelevant));
        return Value(hits.Length > K ? hits[..K] : hits, numRelevant);
    }

    /// <summary>The metric on the (already cut to at most K) hit vector.</summary>
    protected abstract double Value(ReadOnlySpan<bool> hits, int numRelevant);

    /// <summary>Number of hits in the list.</summary>
    protected static int CountHits(ReadOnlySpan<bool> hits)
    {
        int h = 0;
        foreach (var b in hits) if (b) h++;
        return h;
    }

    /// <summary>Discount of 0-based rank r: 1 / log2(r + 2).</summary>
    protected static double Discount(int rank) => 1.0 / Math.Log2(rank + 2);

    /// <summary>DCG of <paramref name="count"/> hits at ranks 0..count-1 (an ideal list).</summary>
    protected static double IdealDcg(int count)
    {
        double s = 0;
        for (int r = 0; r < count; r++) s += Discount(r);
        return s;
    }

    public override string ToString() => Key;
}
