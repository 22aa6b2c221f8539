using MathNet.Numerics.Distributions;

namespace Recsys.Eval.Significance;

/// <summary>How the Wilcoxon p-value is obtained.</summary>
public enum WilcoxonMethod
{
    /// <summary>Exact when at most 50 non-zero differences and no zeros or ties, else the normal approximation (scipy's rule).</summary>
    Auto,
    /// <summary>Exact null distribution of the rank sum (needs no ties among |d|; at most 1000 pairs).</summary>
    Exact,
    /// <summary>Normal approximation with the tie correction of the variance, no continuity correction.</summary>
    Normal,
}

/// <summary>Outcome of a Wilcoxon signed-rank test on d = a − b.</summary>
/// <param name="Statistic">min(W+, W−): the smaller of the rank sums of the positive and negative differences.</param>
/// <param name="Z">Standardised statistic of the normal approximation (NaN when the exact distribution was used).</param>
/// <param name="PValue">Two-sided p-value (1 when every difference is zero).</param>
/// <param name="NonZero">Number of non-zero differences that were ranked.</param>
/// <param name="Exact">Whether the exact distribution was used.</param>
public readonly record struct WilcoxonResult(double Statistic, double Z, double PValue, int NonZero, bool Exact);

/// <summary>
/// Wilcoxon signed-rank test for paired samples, two-sided, matching <c>scipy.stats.wilcoxon(a, b)</c> with its
/// defaults (zero_method="wilcox": zero differences are dropped before ranking; ties get average ranks;
/// correction=False). Normal approximation: z = (T − n(n+1)/4) / √(n(n+1)(2n+1)/24 − Σ(t³ − t)/48), p = 2Φ(−|z|).
/// </summary>
public static class WilcoxonSignedRank
{
    public static WilcoxonResult Test(ReadOnlySpan<double> a, ReadOnlySpan<double> b, WilcoxonMethod method = WilcoxonMethod.Auto)
    {
        if (a.Length != b.Length) throw new ArgumentException($"paired samples differ in length ({a.Length} vs {b.Length}).");
        var d = new List<double>(a.Length);
        for (int i = 0; i < a.Length; i++)
        {
            double x = a[i] - b[i];
            if (x != 0) d.Add(x);
        }
        int n = d.Count;
        bool hadZeros = n < a.Length;
        if (n == 0) return new WilcoxonResult(0, 0, 1.0, 0, false);

        var abs = d.Select(Math.Abs).ToArray();
        var order = Enumerable.Range(0, n).ToArray();
        Array.Sort(abs.ToArray(), order);
        // Average ranks over runs of equal |d|; Σ(t³ − t) feeds the variance correction.
        var ranks = new double[n];
        double tieTerm = 0;
        for (int s = 0; s < n;)
        {
            int e = s;
            while (e + 1 < n && abs[order[e + 1]] == abs[order[s]]) e++;
            double avg = (s + e + 2) / 2.0;
            for (int r = s; r <= e; r++) ranks[order[r]] = avg;
            double t = e - s + 1;
            tieTerm += t * t * t - t;
            s = e + 1;
        }
        double wPlus = 0, wMinus = 0;
        for (int i = 0; i < n; i++) if (d[i] > 0) wPlus += ranks[i]; else wMinus += ranks[i];
        double stat = Math.Min(wPlus, wMinus);

        bool ties = tieTerm > 0;
        bool exact = method switch
        {
            WilcoxonMethod.Exact => !ties ? true : throw new ArgumentException("the exact Wilcoxon distribution needs differences without ties; use the normal approximation."),
            WilcoxonMethod.Normal => false,
            _ => n <= 50 && !ties && !hadZeros,
        };
        if (exact)
        {
            if (n > 1000) throw new ArgumentException($"the exact Wilcoxon distribution is limited to 1000 pairs, got {n}.");
            return new WilcoxonResult(stat, double.NaN, ExactPValue(n, (int)stat), n, true);
        }
        double mean = n * (n + 1) / 4.0;
        double variance = n * (n + 1.0) * (2 * n + 1) / 24.0 - tieTerm / 48.0;
        if (variance <= 0) return new WilcoxonResult(stat, 0, 1.0, n, false);
        double z = (stat - mean) / Math.Sqrt(variance);
        double p = 2 * Normal.CDF(0, 1, -Math.Abs(z));
        return new WilcoxonResult(stat, z, Math.Min(1.0, p), n, false);
    }

    /// <summary>
    /// Two-sided exact p-value 2·P(W ≤ t) under H0, where W = sum of a random subset of ranks 1..n
    /// (each rank positive with probability ½); counts by dynamic programming over rank sums.
    /// </summary>
    private static double ExactPValue(int n, int t)
    {
        int max = n * (n + 1) / 2;
        var count = new double[max + 1];
        count[0] = 1;
        for (int r = 1; r <= n; r++)
            for (int s = max; s >= r; s--) count[s] += count[s - r];
        double below = 0;
        for (int s = 0; s <= Math.Min(t, max); s++) below += count[s];
        return Math.Min(1.0, 2 * below / Math.Pow(2, n));
    }
}
