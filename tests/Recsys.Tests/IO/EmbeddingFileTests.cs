using Recsys.Tests.Infrastructure;
using Recsys.IO;

namespace Recsys.Tests.IO;

public class EmbeddingFileTests
{
    [Theory]
    [InlineData("e.arrow")]
    [InlineData("e.npy")]
    public void RoundTrips(string name)
    {
        var path = Path.Combine(TestPaths.NewTempDir(), name);
        var data = Enumerable.Range(0, 15).Select(i => i * 0.5f - 3).ToArray();
        EmbeddingFile.Write(path, data, 5, 3);
        var back = EmbeddingFile.Read(path, out int rows, out int dim);
        Assert.Equal((5, 3), (rows, dim));
        Assert.Equal(data, back);
    }

    [Fact]
    public void ArrowRowsArePlacedById()
    {
        var path = Path.Combine(TestPaths.NewTempDir(), "p.arrow");
        ArrowWriter.Write(path, ("id", ArrowWriter.Int32Column([1, 0])), ("embedding", ArrowWriter.FloatVectorColumn([1f, 2f, 3f, 4f], 2)));
        Assert.Equal(new[] { 3f, 4f, 1f, 2f }, EmbeddingFile.Read(path, out _, out _));
    }

    [Fact]
    public void RejectsShapeMismatch() =>
        Assert.Throws<ArgumentException>(() => EmbeddingFile.Write(Path.Combine(TestPaths.NewTempDir(), "x.arrow"), new float[5], 2, 3));
}
