using Recsys.Graphs;

namespace Recsys.Tests.Graphs;

public class ColumnTiledKernelsTests
{
    private static float[] RandomDense(int rows, int cols, int seed)
    {
        var rng = new Random(seed);
        var x = new float[rows * cols];
        for (int i = 0; i < x.Length; i++) x[i] = (float)(rng.NextDouble() * 2 - 1);
        return x;
    }

    /// <summary>y = A x straight from the definition, in double.</summary>
    private static double[] Reference(float[,] a, float[] x, int cols)
    {
        int rows = a.GetLength(0), inner = a.GetLength(1);
        var y = new double[rows * cols];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < inner; j++)
                if (a[i, j] != 0)
                    for (int c = 0; c < cols; c++) y[i * cols + c] += (double)a[i, j] * x[j * cols + c];
        return y;
    }

    [Theory]
    [InlineData(8)]    // one tile, half padding
    [InlineData(16)]
    [InlineData(24)]   // a full tile and a half one
    [InlineData(100)]  // 6 full tiles + 4 columns
    [InlineData(512)]
    public void MultiplyMatchesReferenceProduct(int dim)
    {
        // Rectangular, with rows of every length mod 4 (the kernel unrolls by 4) and some empty rows.
        var (a, dense) = CsrMatrixTests.RandomSparse(203, 157, 0.08, seed: dim);
        var x = RandomDense(157, dim, seed: 7);
        using var xt = ColumnTiledMatrix.FromRowMajor(x, 157, dim);
        using var yt = new ColumnTiledMatrix(203, dim);
        ColumnTiledKernels.Multiply(a, xt, yt);
        var got = new float[203 * dim];
        yt.CopyToRowMajor(got);
        var want = Reference(dense, x, dim);
        double maxErr = 0, maxVal = 0;
        for (int i = 0; i < want.Length; i++)
        {
            maxErr = Math.Max(maxErr, Math.Abs(got[i] - want[i]));
            maxVal = Math.Max(maxVal, Math.Abs(want[i]));
        }
        Assert.True(maxVal > 1);
        Assert.True(maxErr <= 1e-5 * maxVal, $"max error {maxErr} (max value {maxVal})");
        // Padding columns of x are zero, so y's stay zero.
        var lastTile = yt.Tile(yt.Tiles - 1);
        for (int r = 0; r < 203; r++)
            for (int c = dim - (yt.Tiles - 1) * 16; c < 16; c++) Assert.Equal(0f, lastTile[r * 16 + c]);
    }

    [Fact]
    public void ResultDoesNotDependOnThreadScheduling()
    {
        var (a, _) = CsrMatrixTests.RandomSparse(600, 600, 0.05, seed: 3);
        using var x = ColumnTiledMatrix.FromRowMajor(RandomDense(600, 40, 1), 600, 40);
        using var y1 = new ColumnTiledMatrix(600, 40);
        using var y2 = new ColumnTiledMatrix(600, 40);
        ColumnTiledKernels.Multiply(a, x, y1);
        ColumnTiledKernels.Multiply(a, x, y2);
        for (int t = 0; t < y1.Tiles; t++) Assert.True(y1.Tile(t).SequenceEqual(y2.Tile(t)));
    }

    [Fact]
    public void ShapesAreChecked()
    {
        var (a, _) = CsrMatrixTests.RandomSparse(5, 7, 0.5, seed: 1);
        using var x = new ColumnTiledMatrix(7, 20);
        using var wrongRows = new ColumnTiledMatrix(6, 20);
        using var wrongCols = new ColumnTiledMatrix(5, 24);
        Assert.Throws<ArgumentException>(() => ColumnTiledKernels.Multiply(a, wrongRows, new ColumnTiledMatrix(5, 20)));
        Assert.Throws<ArgumentException>(() => ColumnTiledKernels.Multiply(a, x, wrongRows));
        Assert.Throws<ArgumentException>(() => ColumnTiledKernels.Multiply(a, x, wrongCols));
    }
}
