using Recsys.Eval.Metrics;

namespace Recsys.Tests.Eval.Metrics;

public class LegacyNdcgTests : MetricContract
{
    protected override IRankingMetric Create(int k) => new LegacyNdcg(k);

    [Fact]
    public void IdealIsBuiltFromTheHitsInsideTopK()
    {
        // NGCF metrics.ndcg_at_k: r = [0, 1, 0], dcg_max = dcg(sorted r) = 1 → 1/log2 3 whatever |test| is.
        Assert.Equal(1 / Math.Log2(3), new LegacyNdcg(3).Compute([false, true, false], 5), 15);
        // The standard formula divides by the ideal of min(5, 3) = 3 hits.
        Assert.Equal(1 / Math.Log2(3) / (1 + 1 / Math.Log2(3) + 0.5), new Ndcg(3).Compute([false, true, false], 5), 15);
    }

    [Fact]
    public void NeverBelowStandardNdcg()
    {
        foreach (var (hits, n) in RandomCases())
            foreach (var k in Ks)
                Assert.True(new LegacyNdcg(k).Compute(hits, n) >= new Ndcg(k).Compute(hits, n) - 1e-15);
    }
}
