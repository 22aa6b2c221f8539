using Recsys.Eval.Significance;

namespace Recsys.Tests.Eval.Significance;

public class PairedTTestTests
{
    [Fact]
    public void TwoDegreesOfFreedomMatchesClosedForm()
    {
        // d = [1, 2, 3]: mean 2, sd 1, t = 2√3. For df = 2 the two-sided p is 1 − t/√(2 + t²) = 1 − √(6/7).
        var r = PairedTTest.Test([1.0, 2, 3], [0.0, 0, 0]);
        Assert.Equal(2 * Math.Sqrt(3), r.T, 12);
        Assert.Equal(2, r.DegreesOfFreedom);
        Assert.Equal(1 - Math.Sqrt(6.0 / 7), r.PValue, 10);   // 0.0741799…
        Assert.Equal(2.0, r.MeanDifference, 12);
    }

    [Fact]
    public void OneDegreeOfFreedomIsCauchy()
    {
        // d = [1, 3]: mean 2, sd √2, se 1, t = 2; Cauchy: p = 1 − 2·atan(2)/π = 0.2951672…
        var r = PairedTTest.Test([1.0, 3], [0.0, 0]);
        Assert.Equal(2.0, r.T, 12);
        Assert.Equal(1 - 2 * Math.Atan(2) / Math.PI, r.PValue, 10);
    }

    [Fact]
    public void TenPairsMatchIncompleteBetaValue()
    {
        // scipy.stats.ttest_rel(a, b): t = 3.1993076…, df = 9, p = I_{9/(9+t²)}(4.5, 0.5) = 0.0108433437
        // (computed with mpmath's regularised incomplete beta).
        double[] a = [0.21, 0.35, 0.18, 0.40, 0.29, 0.33, 0.25, 0.31, 0.22, 0.38];
        double[] b = [0.19, 0.30, 0.20, 0.33, 0.27, 0.30, 0.21, 0.32, 0.18, 0.35];
        var r = PairedTTest.Test(a, b);
        Assert.Equal(3.199307647410125, r.T, 9);
        Assert.Equal(9, r.DegreesOfFreedom);
        Assert.Equal(0.0108433436686950, r.PValue, 9);
        // Swapping the samples flips the sign, not the p-value.
        var s = PairedTTest.Test(b, a);
        Assert.Equal(-r.T, s.T, 12);
        Assert.Equal(r.PValue, s.PValue, 12);
    }

    [Fact]
    public void DegenerateDifferences()
    {
        Assert.Equal(1.0, PairedTTest.Test([0.5, 0.5], [0.5, 0.5]).PValue);
        var constant = PairedTTest.Test([1.0, 2, 3], [0.0, 1, 2]);
        Assert.Equal(0.0, constant.PValue);
        Assert.Equal(double.PositiveInfinity, constant.T);
        Assert.True(double.IsNaN(PairedTTest.Test([1.0], [0.0]).PValue));
        Assert.Throws<ArgumentException>(() => PairedTTest.Test([1.0, 2], [1.0]));
    }
}
