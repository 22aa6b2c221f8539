using Recsys.IO;
using Recsys.Tests.Infrastructure;

namespace Recsys.Tests.IO;

public class LabelledEmbeddingFileTests
{
    [Theory]
    [InlineData("e.npy", false)]
    [InlineData("e.npy", true)]
    [InlineData("e.arrow", false)]
    [InlineData("e.arrow", true)]
    public void RoundTrips(string name, bool stringIds)
    {
        var path = Path.Combine(TestPaths.NewTempDir(), name);
        var v = Enumerable.Range(0, 12).Select(i => i * 0.5f).ToArray();
        EmbeddingFile.WriteLabelled(path, new LabelledEmbeddings(v, 4, [5, 9, 11], stringIds ? ["a", "b", "c"] : null));
        var g = EmbeddingFile.ReadLabelled(path);
        Assert.Equal(v, g.Vectors);
        Assert.Equal(4, g.Dim);
        Assert.Equal(stringIds ? ["a", "b", "c"] : ["5", "9", "11"], Enumerable.Range(0, 3).Select(g.IdText));
        if (name.EndsWith(".npy") && !stringIds) Assert.True(File.Exists(EmbeddingFile.IdsPath(path, ".npy")));
    }

    [Fact]
    public void DenseReadOfALabelledNpyGivesTheSameRows()
    {
        var path = Path.Combine(TestPaths.NewTempDir(), "e.npy");
        float[] v = [1, 2, 3, 4, 5, 6];
        EmbeddingFile.WriteLabelled(path, new LabelledEmbeddings(v, 2, [0, 1, 2]));
        Assert.Equal(v, EmbeddingFile.Read(path, out int count, out int dim));
        Assert.Equal((3, 2), (count, dim));
    }

    [Fact]
    public void ReadLabelledOfADenseFileNumbersRows()
    {
        var path = Path.Combine(TestPaths.NewTempDir(), "e.arrow");
        EmbeddingFile.Write(path, new float[] { 1, 2, 3, 4 }, 2, 2);
        var e = EmbeddingFile.ReadLabelled(path);
        Assert.Equal([0, 1], e.Ids);
        Assert.Null(e.RawIds);
    }

    [Fact]
    public void RewritingWithOtherIdKindRemovesTheStaleIdsFile()
    {
        var path = Path.Combine(TestPaths.NewTempDir(), "e.npy");
        EmbeddingFile.WriteLabelled(path, new LabelledEmbeddings([1, 2], 1, [7, 8]));
        EmbeddingFile.WriteLabelled(path, new LabelledEmbeddings([1, 2], 1, [0, 1], ["x", "y"]));
        Assert.False(File.Exists(EmbeddingFile.IdsPath(path, ".npy")));
        Assert.Equal(["x", "y"], EmbeddingFile.ReadLabelled(path).RawIds!);
    }
}
