using System.Text.Json;
using Recsys.Tables;
using Recsys.Training;
using static TorchSharp.torch;

namespace Recsys.Tests.Tables;

public class FullEmbeddingTableTests
{
    [Fact]
    public void LookupReturnsRowsOfAll()
    {
        using var t = new FullEmbeddingTable(10, 4);
        using var ids = tensor(new long[] { 3, 0, 3 });
        using var rows = t.Lookup(ids);
        var all = t.All().data<float>().ToArray();
        var got = rows.data<float>().ToArray();
        Assert.Equal(all[12..16], got[0..4]);
        Assert.Equal(all[0..4], got[4..8]);
        Assert.Equal(got[0..4], got[8..12]);
        Assert.Equal(10, t.Count);
        Assert.Equal(4, t.Dim);
    }

    [Fact]
    public void SameSeedSameWeightsOtherSeedOtherWeights()
    {
        using var a = new FullEmbeddingTable(5, 3, seed: 1);
        using var b = new FullEmbeddingTable(5, 3, seed: 1);
        using var c = new FullEmbeddingTable(5, 3, seed: 2);
        Assert.Equal(a.All().data<float>().ToArray(), b.All().data<float>().ToArray());
        Assert.NotEqual(a.All().data<float>().ToArray(), c.All().data<float>().ToArray());
    }

    [Fact]
    public void NormalInitHasRequestedSpread()
    {
        using var t = new FullEmbeddingTable(2000, 32, TableInit.Normal, 0.1, seed: 4);
        using var std = t.All().std();
        Assert.InRange(std.item<float>(), 0.095, 0.105);
        using var x = new FullEmbeddingTable(2000, 32, TableInit.XavierUniform);
        using var max = x.All().abs().max();
        Assert.True(max.item<float>() <= Math.Sqrt(6.0 / (2000 + 32)) + 1e-6);
    }

    [Fact]
    public void SpecRoundTripsThroughJson()
    {
        EmbeddingTableSpec s = new FullTableSpec(TableInit.XavierUniform, 0.3);
        var json = JsonSerializer.Serialize(s, Tc.Catalog.Json);
        Assert.Contains("\"kind\": \"full\"", json);
        Assert.Equal(s, JsonSerializer.Deserialize<EmbeddingTableSpec>(json, Tc.Catalog.Json));
    }

    [Fact]
    public void RejectsEmptyShapes()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new FullEmbeddingTable(0, 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => new FullEmbeddingTable(4, 0));
    }
}
