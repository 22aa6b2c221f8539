using Recsys.Embeddings;
using Recsys.Tests.Infrastructure;

namespace Recsys.Tests.Embeddings;

public class EmbeddingFileTests
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
        var f = new NodeEmbeddingFile(v, 4, [5, 9, 11], stringIds ? ["a", "b", "c"] : null);
        f.Write(path);
        var g = NodeEmbeddingFile.Read(path);
        Assert.Equal(v, g.Vectors);
        Assert.Equal(4, g.Dim);
        Assert.Equal(stringIds ? ["a", "b", "c"] : ["5", "9", "11"], Enumerable.Range(0, 3).Select(g.IdText));
        if (name.EndsWith(".npy") && !stringIds) Assert.True(File.Exists(NodeEmbeddingFile.IdsPath(path, ".npy")));
    }
}
