using Recsys.Tests.Infrastructure;
using Recsys.Data;
using Recsys.Embeddings.SemanticIds.Features;
using Recsys.IO;

namespace Recsys.Tests.Embeddings.SemanticIds;

/// <summary>Item feature blocks: TF-IDF by hand, per-block standardisation, vectors files by id.</summary>
public class FeatureBlockTests
{
    private static Dataset Data(ItemAttributes? attributes = null) => new()
    {
        Name = "tiny", NumUsers = 2, NumItems = 3,
        Train = new Interactions([0, 0, 1], [0, 1, 2]), Test = Interactions.Empty, Attributes = attributes,
    };

    [Fact]
    public void AttributeTfIdfByHand()
    {
        // Item 0: a, b; item 1: a; item 2: none. df(a) = 2, df(b) = 1, N = 3.
        var x = new AttributeBlock().Build(Data(new ItemAttributes([0, 0, 1], [0, 1, 0], ["a", "b"])), out int dim);
        Assert.Equal(2, dim);
        double ia = Math.Log(4.0 / 3) + 1, ib = Math.Log(4.0 / 2) + 1, norm = Math.Sqrt(ia * ia + ib * ib);
        Assert.Equal(ia / norm, x[0], 5);
        Assert.Equal(ib / norm, x[1], 5);
        Assert.Equal(new[] { 1f, 0f, 0f, 0f }, x[2..]);   // item 1 = unit vector on a; item 2 = zeros
    }

    [Fact]
    public void ProjectionKeepsIdenticalAttributeSetsIdenticalAndIsSeeded()
    {
        var data = Data(new ItemAttributes([0, 0, 1, 1, 2], [0, 1, 0, 1, 2], ["a", "b", "c"]));
        var x = new AttributeBlock(8, 3).Build(data, out int dim);
        Assert.Equal(8, dim);
        Assert.Equal(x[..8], x[8..16]);
        Assert.NotEqual(x[..8], x[16..]);
        Assert.Equal(x, new AttributeBlock(8, 3).Build(data, out _));
    }

    [Fact]
    public void BlocksAreStandardisedPerDimensionAndConcatenated()
    {
        var dir = TestPaths.NewTempDir();
        var npy = Path.Combine(dir, "v.npy");
        // Rows in the order items 2, 0, 1 (ids beside it).
        NpyFile.WriteFloat32(npy, new float[] { 30, 1, 10, 5, 20, 3 }, 3, 2);
        NpyFile.WriteInt32Vector(Path.Combine(dir, "v.ids.npy"), [2, 0, 1]);
        var data = Data(new ItemAttributes([0, 1], [0, 1], ["a", "b"]));
        var (f, blocks) = ItemFeatureBuilder.Build(data, [new AttributeBlock(), new EmbeddingFileBlock(npy)]);
        Assert.Equal(new[] { ("attributes", 2), ("file:v.npy", 2) }, blocks);
        Assert.Equal(4, f.Dim);
        for (int col = 0; col < 4; col++)
        {
            var v = Enumerable.Range(0, 3).Select(i => (double)f.Row(i)[col]).ToArray();
            Assert.Equal(0, v.Average(), 5);
            Assert.Equal(1, v.Select(y => y * y).Average(), 4);
        }
        // The file block follows the ids: column 2 is 10, 20, 30 for items 0, 1, 2 → −√1.5, 0, √1.5.
        Assert.Equal(-Math.Sqrt(1.5), f.Row(0)[2], 4);
        Assert.Equal(0, f.Row(1)[2], 4);
        Assert.Equal(Math.Sqrt(1.5), f.Row(2)[2], 4);
    }

    [Fact]
    public void VectorsFileMissingAnItemOrRepeatingOneIsAnError()
    {
        var dir = TestPaths.NewTempDir();
        var npy = Path.Combine(dir, "v.npy");
        NpyFile.WriteFloat32(npy, new float[] { 1, 2, 3 }, 3, 1);
        var ids = Path.Combine(dir, "ids.npy");
        NpyFile.WriteInt32Vector(ids, [0, 1, 1]);
        var e = Assert.Throws<DataFormatException>(() => new EmbeddingFileBlock(npy, ids).Build(Data(), out _));
        Assert.Contains("item 1 appears twice", e.Message);
        NpyFile.WriteFloat32(npy, new float[] { 1, 2 }, 2, 1);
        Assert.Throws<DataFormatException>(() => new EmbeddingFileBlock(npy).Build(Data(), out _));
    }

    [Fact]
    public void AttributesBlockWithoutAttributesSaysSo()
    {
        var e = Assert.Throws<ArgumentException>(() => new AttributeBlock().Build(Data(), out _));
        Assert.Contains("no item attributes", e.Message);
    }
}
