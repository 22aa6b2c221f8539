using Recsys.Eval.Significance;

namespace Recsys.Tests.Eval.Significance;

public class WilcoxonSignedRankTests
{
    // Darwin's cucumber data as differences (the example in scipy.stats.wilcoxon's documentation):
    // the negative differences −48 and −67 have ranks 10 and 14, so T = min(W+, W−) = 24.
    private static readonly double[] Darwin = [6, 8, 14, 16, 23, 24, 28, 29, 41, -48, 49, 56, 60, -67, 75];

    [Fact]
    public void DarwinExactMatchesScipy()
    {
        // scipy.stats.wilcoxon(d) → statistic 24.0, pvalue 0.041259765625 (exact: 2·#{subsets with rank sum ≤ 24} / 2^15).
        var r = WilcoxonSignedRank.Test(Darwin, new double[Darwin.Length]);
        Assert.True(r.Exact);
        Assert.Equal(24.0, r.Statistic);
        Assert.Equal(15, r.NonZero);
        Assert.Equal(0.041259765625, r.PValue, 12);
    }

    [Fact]
    public void DarwinNormalApproximation()
    {
        // z = (24 − 15·16/4) / √(15·16·31/24) = −36/√310 = −2.0446626; p = erfc(|z|/√2) = 0.0408881329.
        var r = WilcoxonSignedRank.Test(Darwin, new double[Darwin.Length], WilcoxonMethod.Normal);
        Assert.False(r.Exact);
        Assert.Equal(-36 / Math.Sqrt(310), r.Z, 10);
        Assert.Equal(0.040888132911856, r.PValue, 9);
    }

    [Fact]
    public void FivePairsExact()
    {
        // d = [1.5, −0.5, 2.5, 3.5, 4.5]: W− = 1, and only {} and {1} have rank sum ≤ 1 → p = 2·2/32 = 0.125.
        var r = WilcoxonSignedRank.Test([2.5, 0.5, 3.5, 4.5, 5.5], [1.0, 1, 1, 1, 1]);
        Assert.Equal(1.0, r.Statistic);
        Assert.Equal(0.125, r.PValue, 14);
    }

    [Fact]
    public void ZerosDroppedAndTiesCorrected()
    {
        // d = [0, 1, −1, 2, 2, 3, −4, 5, 5, 5, 6, 0]: zeros dropped → n = 10; |d| ranks 1.5,1.5,3.5,3.5,5,6,8,8,8,10;
        // W− = 1.5 + 6 = 7.5; Σ(t³−t) = 6 + 6 + 24 = 36; var = 10·11·21/24 − 36/48 = 95.5;
        // z = (7.5 − 27.5)/√95.5 = −2.0465780; p = 0.0406995328.
        double[] d = [0, 1, -1, 2, 2, 3, -4, 5, 5, 5, 6, 0];
        var r = WilcoxonSignedRank.Test(d, new double[d.Length]);
        Assert.False(r.Exact);                 // ties and zeros → normal approximation, as scipy's auto rule
        Assert.Equal(10, r.NonZero);
        Assert.Equal(7.5, r.Statistic);
        Assert.Equal(-20 / Math.Sqrt(95.5), r.Z, 10);
        Assert.Equal(0.0406995327914973, r.PValue, 9);
        Assert.Throws<ArgumentException>(() => WilcoxonSignedRank.Test(d, new double[d.Length], WilcoxonMethod.Exact));
    }

    [Fact]
    public void AllZeroDifferencesGiveOne()
    {
        var r = WilcoxonSignedRank.Test([0.3, 0.1], [0.3, 0.1]);
        Assert.Equal(1.0, r.PValue);
        Assert.Equal(0, r.NonZero);
    }

    [Fact]
    public void SymmetricInTheOrderOfSamples()
    {
        var rng = new Random(2);
        var a = Enumerable.Range(0, 200).Select(_ => Math.Round(rng.NextDouble(), 1)).ToArray();
        var b = Enumerable.Range(0, 200).Select(_ => Math.Round(rng.NextDouble(), 1)).ToArray();
        Assert.Equal(WilcoxonSignedRank.Test(a, b).PValue, WilcoxonSignedRank.Test(b, a).PValue, 12);
    }
}
