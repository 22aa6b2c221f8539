using Recsys.Eval.Metrics;

namespace Recsys.Tests.Eval.Metrics;

public class NdcgTests : MetricContract
{
    protected override IRankingMetric Create(int k) => new Ndcg(k);

    [Fact]
    public void SingleHitAtRankTwoIsOneOverLog2Three() =>
        Assert.Equal(1 / Math.Log2(3), new Ndcg(20).Compute([false, true, false], 1), 15);

    [Fact]
    public void IdealDcgCoversMinOfTestSizeAndK()
    {
        // Hits at 1-based ranks 1 and 3, |test| = 3, K = 5: (1 + 1/2) / (1 + 1/log2 3 + 1/2).
        double expected = (1 + 0.5) / (1 + 1 / Math.Log2(3) + 0.5);
        Assert.Equal(expected, new Ndcg(5).Compute([true, false, true, false, false], 3), 15);
        // |test| = 10 > K = 2: the ideal list is 2 hits long; one hit at rank 1 → 1 / (1 + 1/log2 3).
        Assert.Equal(1 / (1 + 1 / Math.Log2(3)), new Ndcg(2).Compute([true, false], 10), 15);
    }
}
