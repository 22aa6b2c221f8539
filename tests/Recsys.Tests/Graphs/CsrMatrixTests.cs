using Recsys.Graphs;

namespace Recsys.Tests.Graphs;

public class CsrMatrixTests
{
    /// <summary>A seeded random sparse matrix and its dense copy.</summary>
    internal static (CsrMatrix Csr, float[,] Dense) RandomSparse(int rows, int cols, double density, int seed)
    {
        var rng = new Random(seed);
        var dense = new float[rows, cols];
        var r = new List<int>(); var c = new List<int>(); var v = new List<float>();
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++)
                if (rng.NextDouble() < density)
                {
                    float x = (float)(rng.NextDouble() * 2 - 1);
                    dense[i, j] = x; r.Add(i); c.Add(j); v.Add(x);
                }
        return (CsrMatrixBuilder.FromEdges(rows, cols, r.ToArray(), c.ToArray(), v.ToArray()), dense);
    }

    internal static float[,] ToDense(CsrMatrix m)
    {
        var d = new float[m.Rows, m.Cols];
        for (int i = 0; i < m.Rows; i++)
            for (int k = m.RowPtr[i]; k < m.RowPtr[i + 1]; k++) d[i, m.ColIdx[k]] += m.Values[k];
        return d;
    }

    [Theory]
    [InlineData(7, 5, 3, 0.4)]
    [InlineData(1500, 300, 8, 0.02)] // > 256 rows: the parallel path
    [InlineData(4, 6, 1, 0.0)]       // empty matrix
    public void Multiply_matches_dense_brute_force(int rows, int cols, int dim, double density)
    {
        var (a, dense) = RandomSparse(rows, cols, density, seed: rows);
        var rng = new Random(1);
        var x = new float[cols * dim];
        for (int i = 0; i < x.Length; i++) x[i] = (float)rng.NextDouble();
        var y = new float[rows * dim];
        Array.Fill(y, 123f); // must be overwritten, not accumulated into
        a.Multiply(x, y, dim);
        for (int i = 0; i < rows; i++)
            for (int d = 0; d < dim; d++)
            {
                double want = 0;
                for (int j = 0; j < cols; j++) want += dense[i, j] * x[j * dim + d];
                Assert.Equal(want, y[i * dim + d], 1e-4);
            }
    }

    [Fact]
    public void Multiply_rejects_short_buffers()
    {
        var (a, _) = RandomSparse(3, 4, 0.5, 2);
        Assert.Throws<ArgumentException>(() => a.Multiply(new float[7], new float[6], 2));
        Assert.Throws<ArgumentException>(() => a.Multiply(new float[8], new float[5], 2));
    }

    [Fact]
    public void Transpose_matches_dense_and_keeps_columns_sorted()
    {
        var (a, dense) = RandomSparse(40, 25, 0.2, 5);
        var t = a.Transpose();
        Assert.Equal(25, t.Rows);
        Assert.Equal(40, t.Cols);
        var td = ToDense(t);
        for (int i = 0; i < 40; i++)
            for (int j = 0; j < 25; j++) Assert.Equal(dense[i, j], td[j, i]);
        for (int r = 0; r < t.Rows; r++)
            for (int k = t.RowPtr[r] + 1; k < t.RowPtr[r + 1]; k++) Assert.True(t.ColIdx[k - 1] < t.ColIdx[k]);
        var tt = t.Transpose();
        Assert.Equal(a.RowPtr, tt.RowPtr);
        Assert.Equal(a.ColIdx, tt.ColIdx);
        Assert.Equal(a.Values, tt.Values);
    }
}
