using Recsys.Eval.Metrics;

namespace Recsys.Tests.Eval.Metrics;

public class MrrTests : MonotoneMetricContract
{
    protected override IRankingMetric Create(int k) => new Mrr(k);

    [Fact]
    public void FirstHitAtRankThreeIsOneThird() =>
        Assert.Equal(1.0 / 3, new Mrr(5).Compute([false, false, true, true, false], 2), 15);

    [Fact]
    public void FirstHitOutsideKIsZero() =>
        Assert.Equal(0.0, new Mrr(2).Compute([false, false, true], 1));
}
