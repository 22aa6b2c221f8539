using Recsys.Eval.Metrics;

namespace Recsys.Tests.Eval.Metrics;

public class MeanAveragePrecisionTests : MetricContract
{
    protected override IRankingMetric Create(int k) => new MeanAveragePrecision(k);

    [Fact]
    public void HitsAtRanksOneAndThreeOfTwoRelevant() =>
        // (P@1 + P@3) / min(2, 5) = (1 + 2/3) / 2 = 5/6.
        Assert.Equal(5.0 / 6, new MeanAveragePrecision(5).Compute([true, false, true, false, false], 2), 15);

    [Fact]
    public void NormalisesByKWhenTestSetIsLarger() =>
        // Hits at ranks 2 and 3, |test| = 4, K = 3: (1/2 + 2/3) / 3 = 7/18.
        Assert.Equal(7.0 / 18, new MeanAveragePrecision(3).Compute([false, true, true], 4), 15);
}
