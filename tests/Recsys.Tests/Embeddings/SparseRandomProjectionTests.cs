using Recsys.Embeddings.FastRp;

namespace Recsys.Tests.Embeddings;

public class SparseRandomProjectionTests
{
    [Fact]
    public void DensityAndValuesFollowSparsity()
    {
        const int n = 2000, d = 256;
        double s = 25;
        var r = SparseRandomProjection.Create(n, d, s, seed: 1);
        double density = (double)r.NonZeros / (n * d);
        // Binomial(512000, 0.04): sd of the density ≈ 0.00027; allow 5 sd.
        Assert.InRange(density, 0.04 - 0.0014, 0.04 + 0.0014);
        Assert.All(r.Values, v => Assert.Equal(5f, Math.Abs(v)));
        int pos = r.Values.Count(v => v > 0);
        Assert.InRange(pos, r.NonZeros / 2 - 5 * Math.Sqrt(r.NonZeros) / 2, r.NonZeros / 2 + 5 * Math.Sqrt(r.NonZeros) / 2);
        for (int i = 0; i < n; i++)
            for (int k = r.RowPtr[i] + 1; k < r.RowPtr[i + 1]; k++) Assert.True(r.Cols[k] > r.Cols[k - 1]);
    }

    [Fact]
    public void SparsityOneIsDenseSigns()
    {
        var r = SparseRandomProjection.Create(7, 9, 1, seed: 3);
        Assert.Equal(63, r.NonZeros);
        Assert.All(r.Values, v => Assert.Equal(1f, Math.Abs(v)));
    }

    [Fact]
    public void SeededAndScalable()
    {
        var a = SparseRandomProjection.Create(100, 32, 4, seed: 7);
        var b = SparseRandomProjection.Create(100, 32, 4, seed: 7);
        Assert.Equal(a.Cols, b.Cols);
        Assert.Equal(a.Values, b.Values);
        var scale = Enumerable.Range(0, 100).Select(i => (float)i).ToArray();
        b.ScaleRows(scale);
        for (int i = 0; i < 100; i++)
            for (int k = a.RowPtr[i]; k < a.RowPtr[i + 1]; k++) Assert.Equal(a.Values[k] * i, b.Values[k]);
    }
}
