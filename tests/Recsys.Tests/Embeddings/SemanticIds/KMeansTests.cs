using Recsys.Embeddings.SemanticIds;

namespace Recsys.Tests.Embeddings.SemanticIds;

/// <summary>k-means on planted clusters, and the rules on k.</summary>
public class KMeansTests
{
    /// <summary>Four tight clusters around the corners of a square of side 100, 25 points each, interleaved in row order.</summary>
    private static (float[] X, int[] Truth) Clusters()
    {
        var rng = new Random(5);
        var centres = new (float, float)[] { (0, 0), (100, 0), (0, 100), (100, 100) };
        var x = new float[200]; var truth = new int[100];
        for (int i = 0; i < 100; i++)
        {
            int c = i % 4;
            truth[i] = c;
            x[2 * i] = centres[c].Item1 + (float)rng.NextDouble();
            x[2 * i + 1] = centres[c].Item2 + (float)rng.NextDouble();
        }
        return (x, truth);
    }

    [Fact]
    public void FindsSeparableClustersForEverySeed()
    {
        var (x, truth) = Clusters();
        for (int seed = 0; seed < 5; seed++)
        {
            var r = KMeans.Fit(x, 100, 2, 4, seed);
            // Same partition: points of one planted cluster share a label and different clusters differ.
            var labelOf = new int[4];
            for (int c = 0; c < 4; c++) labelOf[c] = r.Assignments[c];
            Assert.Equal(4, labelOf.Distinct().Count());
            for (int i = 0; i < 100; i++) Assert.Equal(labelOf[truth[i]], r.Assignments[i]);
            // Each centroid is its cluster's mean (offsets in [0, 1) → mean ≈ corner + 0.5).
            for (int c = 0; c < 4; c++)
            {
                int k = labelOf[c];
                Assert.InRange(r.Centroids[2 * k] - (c % 2) * 100, 0.3, 0.7);
                Assert.InRange(r.Centroids[2 * k + 1] - (c / 2) * 100, 0.3, 0.7);
            }
            Assert.InRange(r.Inertia, 0, 100 * 2 * 0.25);
        }
    }

    [Fact]
    public void IsDeterministicForASeedAndKeepsEveryClusterInUse()
    {
        var (x, _) = Clusters();
        var a = KMeans.Fit(x, 100, 2, 10, seed: 3);
        var b = KMeans.Fit(x, 100, 2, 10, seed: 3);
        Assert.Equal(a.Assignments, b.Assignments);
        Assert.Equal(a.Centroids, b.Centroids);
        Assert.Equal(10, a.Assignments.Distinct().Count());
    }

    [Fact]
    public void MoreClustersThanPointsIsAnError()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => KMeans.Fit(new float[6], 3, 2, 4, 0));
        Assert.Equal("k", e.ParamName);
    }
}
