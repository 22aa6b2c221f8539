using Recsys.Eval.Metrics;

namespace Recsys.Tests.Eval.Metrics;

/// <summary>Properties every <see cref="IRankingMetric"/> must have; each metric's test class inherits this.</summary>
public abstract class MetricContract
{
    protected abstract IRankingMetric Create(int k);

    /// <summary>The value of a perfect ranking (the first min(|test|, K) entries are hits).</summary>
    protected virtual double PerfectValue(int k, int numRelevant) => 1.0;

    protected static readonly int[] Ks = [1, 2, 3, 5, 10, 20];

    /// <summary>Seeded random hit vectors of length 30 with |test| ≥ number of hits.</summary>
    protected static IEnumerable<(bool[] Hits, int NumRelevant)> RandomCases(int seed = 7, int count = 300)
    {
        var rng = new Random(seed);
        for (int c = 0; c < count; c++)
        {
            var hits = new bool[30];
            double density = rng.NextDouble();
            for (int r = 0; r < hits.Length; r++) hits[r] = rng.NextDouble() < density;
            int h = hits.Count(x => x);
            yield return (hits, Math.Max(1, h + rng.Next(0, 10)));
        }
    }

    [Fact]
    public void KeyIsNameAtK()
    {
        var m = Create(20);
        Assert.Equal(20, m.K);
        Assert.Equal($"{m.Name}@20", m.Key);
    }

    [Fact]
    public void ValuesLieInUnitInterval()
    {
        foreach (var k in Ks)
        {
            var m = Create(k);
            foreach (var (hits, n) in RandomCases())
            {
                double v = m.Compute(hits, n);
                Assert.InRange(v, 0.0, 1.0);
            }
        }
    }

    [Fact]
    public void PerfectRankingGivesPerfectValue()
    {
        foreach (var k in Ks)
            for (int n = 1; n <= 25; n++)
            {
                var hits = new bool[30];
                for (int r = 0; r < Math.Min(n, k); r++) hits[r] = true;
                Assert.Equal(PerfectValue(k, n), Create(k).Compute(hits, n), 12);
            }
    }

    [Fact]
    public void NoHitGivesZero()
    {
        foreach (var k in Ks) Assert.Equal(0.0, Create(k).Compute(new bool[30], 3));
    }

    [Fact]
    public void EntriesBeyondKAreIgnoredAndShortListsAreMisses()
    {
        foreach (var k in Ks)
        {
            var m = Create(k);
            foreach (var (hits, n) in RandomCases(seed: 11, count: 100))
            {
                var cut = hits.AsSpan(0, Math.Min(k, hits.Length)).ToArray();
                Assert.Equal(m.Compute(cut, n), m.Compute(hits, n), 12);
                // A list shorter than K (padded by the index) scores as if the missing ranks were misses.
                var shortList = hits.AsSpan(0, Math.Max(0, Math.Min(k, hits.Length) - 1)).ToArray();
                var padded = shortList.Concat(new bool[k]).ToArray();
                Assert.Equal(m.Compute(padded, n), m.Compute(shortList, n), 12);
            }
        }
    }

    [Fact]
    public void RejectsEmptyTestSetAndZeroK()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Create(5).Compute(new bool[5], 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Create(0));
    }
}

/// <summary>Contract of metrics that can only grow with K (recall, hit, MRR).</summary>
public abstract class MonotoneMetricContract : MetricContract
{
    [Fact]
    public void NonDecreasingInK()
    {
        foreach (var (hits, n) in RandomCases(seed: 3))
            for (int k = 1; k < hits.Length; k++)
                Assert.True(Create(k).Compute(hits, n) <= Create(k + 1).Compute(hits, n) + 1e-15, $"k={k}");
    }
}
