using Recsys.Graphs;

namespace Recsys.Tests.Graphs;

public class ColumnTiledMatrixTests
{
    [Theory]
    [InlineData(3, 5)]
    [InlineData(10, 16)]
    [InlineData(7, 33)]
    public void RowMajorRoundTripAndLayout(int rows, int cols)
    {
        var x = Enumerable.Range(0, rows * cols).Select(i => (float)i).ToArray();
        using var m = ColumnTiledMatrix.FromRowMajor(x, rows, cols);
        Assert.Equal((cols + 15) / 16, m.Tiles);
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++)
            {
                Assert.Equal(x[r * cols + c], m[r, c]);
                Assert.Equal(x[r * cols + c], m.Tile(c / 16)[r * 16 + c % 16]); // the documented layout
            }
        var back = new float[rows * cols];
        m.CopyToRowMajor(back);
        Assert.Equal(x, back);
    }

    [Fact]
    public unsafe void TilesAreCacheLineAlignedAndContiguous()
    {
        using var m = new ColumnTiledMatrix(1000, 100);
        Assert.Equal(0, (long)m.TilePointer(0) % 64);
        Assert.Equal(1000L * 16 * sizeof(float), (long)m.TilePointer(1) - (long)m.TilePointer(0));
    }

    [Fact]
    public void DisposedMatrixRefusesAccess()
    {
        var m = new ColumnTiledMatrix(4, 4);
        m.Dispose();
        m.Dispose(); // idempotent
        Assert.Throws<ObjectDisposedException>(() => m.Tile(0));
    }
}
