using Recsys.Embeddings.SemanticIds;

namespace Recsys.Tests.Embeddings.SemanticIds;

/// <summary>Sinkhorn-Knopp transport plans against closed forms and hand-solved assignments.</summary>
public class SinkhornKnoppTests
{
    private static double RowSum(double[] p, int cols, int i) => Enumerable.Range(0, cols).Sum(j => p[i * cols + j]);
    private static double ColSum(double[] p, int rows, int cols, int j) => Enumerable.Range(0, rows).Sum(i => p[i * cols + j]);

    /// <summary>1-d items x and codewords at 0 and 1: cost (x − c)².</summary>
    private static double[] Cost(double[] x) => [.. x.SelectMany(v => new[] { v * v, (v - 1) * (v - 1) })];

    private static int[] ArgmaxRows(double[] p, int rows, int cols) =>
        [.. Enumerable.Range(0, rows).Select(i => Enumerable.Range(0, cols).MaxBy(j => p[i * cols + j]))];

    [Fact]
    public void FourItemsTwoCodesGetUniformMarginalsAndTheObviousAssignmentWhenSeparable()
    {
        double[] a = [0.25, 0.25, 0.25, 0.25], b = [0.5, 0.5];
        var p = SinkhornKnopp.Plan(Cost([0, 0.1, 0.9, 1]), 4, 2, a, b, epsilon: 0.05, iterations: 500);
        for (int i = 0; i < 4; i++) Assert.Equal(0.25, RowSum(p, 2, i), 6);
        for (int j = 0; j < 2; j++) Assert.Equal(0.5, ColSum(p, 4, 2, j), 9);
        Assert.Equal(new[] { 0, 0, 1, 1 }, ArgmaxRows(p, 4, 2));
    }

    [Fact]
    public void UniformMarginalsMoveTheItemsThatLoseLeastWhenAllPreferOneCode()
    {
        // All four prefer code 0; the exact transport moves the two whose cost rises least, (1 − x)² − x² = 1 − 2x: x = 0.2 and 0.3.
        double[] a = [1, 1, 1, 1], b = [2, 2];
        var p = SinkhornKnopp.Plan(Cost([0, 0.1, 0.2, 0.3]), 4, 2, a, b, epsilon: 0.05, iterations: 2000);
        Assert.Equal(new[] { 0, 0, 1, 1 }, ArgmaxRows(p, 4, 2));
        for (int j = 0; j < 2; j++) Assert.Equal(2, ColSum(p, 4, 2, j), 9);
        for (int i = 0; i < 4; i++) Assert.Equal(1, RowSum(p, 2, i), 6);
    }

    [Fact]
    public void TwoByTwoMatchesTheClosedForm()
    {
        // Cost [[0, 1], [1, 0]], masses ½: by symmetry P ∝ exp(−C/ε), so P_00 = 1 / (2(1 + e^(−1/ε))).
        const double eps = 0.5;
        var p = SinkhornKnopp.Plan([0, 1, 1, 0], 2, 2, [0.5, 0.5], [0.5, 0.5], eps, 100);
        double diag = 1 / (2 * (1 + Math.Exp(-1 / eps)));
        Assert.Equal(diag, p[0], 12);
        Assert.Equal(0.5 - diag, p[1], 12);
        Assert.Equal(diag, p[3], 12);
    }

    [Fact]
    public void AHugeEpsilonGivesTheIndependentPlan()
    {
        var p = SinkhornKnopp.Plan([0, 3, 1, 7, 2, 5], 2, 3, [0.3, 0.7], [0.2, 0.5, 0.3], 1e9, 50);
        double[] a = [0.3, 0.7], b = [0.2, 0.5, 0.3];
        for (int i = 0; i < 2; i++)
            for (int j = 0; j < 3; j++)
                Assert.Equal(a[i] * b[j], p[i * 3 + j], 8);
    }

    [Fact]
    public void UnequalTotalsAndBadEpsilonAreRefused()
    {
        Assert.Throws<ArgumentException>(() => SinkhornKnopp.Plan([0, 1], 1, 2, [1], [1, 1], 0.1, 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => SinkhornKnopp.Plan([0, 1], 1, 2, [1], [0.5, 0.5], 0, 10));
        Assert.Throws<ArgumentException>(() => SinkhornKnopp.Plan([0, double.NaN], 1, 2, [1], [0.5, 0.5], 0.1, 10));
    }
}
