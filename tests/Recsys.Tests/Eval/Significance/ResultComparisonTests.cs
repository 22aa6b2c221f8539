using Recsys.Eval;
using Recsys.Eval.Significance;

namespace Recsys.Tests.Eval.Significance;

public class ResultComparisonTests
{
    [Fact]
    public void PairsValuesByUserIdAndRunsBothTests()
    {
        // A has users 0,1,2,3; B has users 3,1,2,9 (different order, one user each not shared).
        var a = new EvaluationResult(["recall@20"], [0, 1, 2, 3], [[0.9, 0.1, 0.2, 0.3]], 1);
        var b = new EvaluationResult(["recall@20"], [3, 1, 2, 9], [[0.6, 0.2, 0.4, 0.5]], 1);
        var c = ResultComparison.Compare(a, b);
        Assert.Equal(3, c.Users);
        Assert.Equal(1, c.OnlyA);
        Assert.Equal(1, c.OnlyB);
        var m = Assert.Single(c.Metrics);
        // Common users 1,2,3: A = [0.1, 0.2, 0.3], B = [0.2, 0.4, 0.6]; d = B − A = [0.1, 0.2, 0.3].
        Assert.Equal(0.2, m.MeanA, 12);
        Assert.Equal(0.4, m.MeanB, 12);
        Assert.Equal(0.2, m.Difference, 12);
        Assert.Equal(PairedTTest.Test([0.2, 0.4, 0.6], [0.1, 0.2, 0.3]).PValue, m.TTest.PValue, 12);
        Assert.Equal(1 - Math.Sqrt(6.0 / 7), m.TTest.PValue, 9);   // same d shape as [1,2,3] scaled
        Assert.Equal(0.25, m.Wilcoxon.PValue, 12);                  // exact, n = 3, T = 0: 2·1/8
    }

    [Fact]
    public void UnknownMetricIsRejected()
    {
        var a = new EvaluationResult(["recall@20"], [0], [[0.5]], 0);
        Assert.Throws<ArgumentException>(() => ResultComparison.Compare(a, a, ["ndcg@20"]));
    }
}
