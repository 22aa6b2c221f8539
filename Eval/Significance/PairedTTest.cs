using MathNet.Numerics.Distributions;

namespace Recsys.Eval.Significance;

/// <summary>Outcome of a paired t-test on d = a − b.</summary>
/// <param name="T">t statistic mean(d) / (sd(d) / √n) (sd with n − 1); ±∞ when all differences are equal and non-zero, 0 when all are zero.</param>
/// <param name="DegreesOfFreedom">n − 1.</param>
/// <param name="PValue">Two-sided p-value (1 when every difference is zero, NaN for fewer than 2 pairs).</param>
/// <param name="MeanDifference">mean(a − b).</param>
public readonly record struct TTestResult(double T, int DegreesOfFreedom, double PValue, double MeanDifference);

/// <summary>
/// Paired (dependent samples) Student t-test, two-sided — the same statistic and p-value as
/// <c>scipy.stats.ttest_rel(a, b)</c>.
/// </summary>
public static class PairedTTest
{
    public static TTestResult Test(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        if (a.Length != b.Length) throw new ArgumentException($"paired samples differ in length ({a.Length} vs {b.Length}).");
        int n = a.Length;
        if (n < 2) return new TTestResult(double.NaN, Math.Max(n - 1, 0), double.NaN, n == 1 ? a[0] - b[0] : double.NaN);
        // Two-pass mean and variance of the differences (the one-pass formula loses digits on near-equal runs).
        double mean = 0;
        for (int i = 0; i < n; i++) mean += a[i] - b[i];
        mean /= n;
        double ss = 0;
        for (int i = 0; i < n; i++) { double d = a[i] - b[i] - mean; ss += d * d; }
        double se = Math.Sqrt(ss / (n - 1) / n);
        int df = n - 1;
        if (se == 0)
            return mean == 0 ? new TTestResult(0, df, 1.0, 0) : new TTestResult(mean > 0 ? double.PositiveInfinity : double.NegativeInfinity, df, 0.0, mean);
        double t = mean / se;
        double p = 2 * StudentT.CDF(0, 1, df, -Math.Abs(t));
        return new TTestResult(t, df, Math.Min(1.0, p), mean);
    }
}
