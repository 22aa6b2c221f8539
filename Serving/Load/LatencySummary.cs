namespace Recsys.Serving.Load;

/// <summary>Latency percentiles in milliseconds (nearest-rank, over every measured request).</summary>
public sealed record LatencySummary(long Count, double P50, double P95, double P99, double Max, double Mean)
{
    public static LatencySummary Empty { get; } = new(0, 0, 0, 0, 0, 0);

    /// <summary>Summary of <paramref name="ms"/>, which it sorts in place.</summary>
    public static LatencySummary Of(double[] ms)
    {
        if (ms.Length == 0) return Empty;
        Array.Sort(ms);
        return new LatencySummary(ms.Length, Rank(ms, 0.50), Rank(ms, 0.95), Rank(ms, 0.99), ms[^1], ms.Average());
    }

    /// <summary>The nearest-rank percentile: the smallest value with at least <paramref name="q"/> of the values at or below it.</summary>
    public static double Rank(double[] sorted, double q) => sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];
}
