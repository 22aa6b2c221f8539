using Recsys.Eval.Metrics;

namespace Recsys.Tests.Eval.Metrics;

public class RecallTests : MonotoneMetricContract
{
    protected override IRankingMetric Create(int k) => new Recall(k);

    // With |test| > K even a perfect list finds only K of them.
    protected override double PerfectValue(int k, int numRelevant) => (double)Math.Min(k, numRelevant) / numRelevant;

    [Fact]
    public void TwoHitsOfEightRelevantIsOneQuarter() =>
        Assert.Equal(0.25, new Recall(5).Compute([true, false, false, true, false], 8), 15);

    [Fact]
    public void DividesByTestSizeNotByK() =>
        // 3 hits in the top 3 of 10 relevant: 0.3 (GraphHash's min(K, |test|) variant would give 1).
        Assert.Equal(0.3, new Recall(3).Compute([true, true, true], 10), 15);
}
