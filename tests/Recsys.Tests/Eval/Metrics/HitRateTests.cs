using Recsys.Eval.Metrics;

namespace Recsys.Tests.Eval.Metrics;

public class HitRateTests : MonotoneMetricContract
{
    protected override IRankingMetric Create(int k) => new HitRate(k);

    [Fact]
    public void OneWhenAnyHitInsideK()
    {
        Assert.Equal(1.0, new HitRate(3).Compute([false, false, true], 4));
        Assert.Equal(0.0, new HitRate(2).Compute([false, false, true], 4));
    }
}
