using Recsys.Eval.Metrics;

namespace Recsys.Tests.Eval.Metrics;

public class PrecisionTests : MetricContract
{
    protected override IRankingMetric Create(int k) => new Precision(k);

    // A perfect list holds min(|test|, K) hits among K slots.
    protected override double PerfectValue(int k, int numRelevant) => (double)Math.Min(k, numRelevant) / k;

    [Fact]
    public void TwoHitsInFiveIsPointFour() =>
        Assert.Equal(0.4, new Precision(5).Compute([false, true, false, true, false], 2), 15);

    [Fact]
    public void PaddedListStillDividesByK() =>
        Assert.Equal(0.1, new Precision(10).Compute([true], 1), 15);
}
