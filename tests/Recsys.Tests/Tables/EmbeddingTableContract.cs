using System.Text.Json;
using Recsys.Data;
using Recsys.Embeddings.GraphHash;
using Recsys.Tables;
using Recsys.Training;
using static TorchSharp.torch;

namespace Recsys.Tests.Tables;

/// <summary>
/// What every <see cref="EmbeddingTableSpec"/> and its table must do (STYLE.md contract test): shapes, Lookup = rows of
/// All, the same id → row map and weights for the same seed, gradients reaching the parameters, at most
/// <see cref="Budget"/> rows, and the spec surviving run.json. Runs on two user/item communities with a real
/// <see cref="GraphTableInputs"/> (Louvain + FastRP), so graph-based tables are exercised end to end.
/// </summary>
public abstract class EmbeddingTableContract
{
    protected const int Dim = 6;

    /// <summary>The spec under test.</summary>
    protected abstract EmbeddingTableSpec Spec();

    /// <summary>Upper bound on the table's trainable rows for <paramref name="ctx"/>.</summary>
    protected abstract int Budget(TableContext ctx);

    protected static readonly InteractionMatrix Train = Training.TinyData.Communities(users: 40, items: 30, perUser: 8, testPerUser: 0).Train;

    protected static TableContext Context(TableSide side, ulong seed = 11) => Tc.Context(Train, side, Dim, seed);

    /// <summary>Sides the kind serves; a kind for one side only (semantic-ID tables: items) must refuse the other.</summary>
    protected virtual IReadOnlyList<TableSide> Served => [TableSide.Users, TableSide.Items];

    private bool RefusedSide(TableSide side)
    {
        if (Served.Contains(side)) return false;
        Assert.ThrowsAny<ArgumentException>(() => Spec().Create(Context(side)));
        return true;
    }

    public static TheoryData<TableSide> Sides => new() { TableSide.Users, TableSide.Items };

    [Theory, MemberData(nameof(Sides))]
    public void ShapesAndLookupMatchAll(TableSide side)
    {
        if (RefusedSide(side)) return;
        var ctx = Context(side);
        using var t = Spec().Create(ctx);
        Assert.Equal(ctx.Count, t.Count);
        Assert.Equal(Dim, t.Dim);
        using var all = t.All();
        Assert.Equal(new long[] { ctx.Count, Dim }, all.shape);
        long[] pick = [3, 0, (long)ctx.Count - 1, 3];
        using var ids = tensor(pick);
        using var rows = t.Lookup(ids);
        Assert.Equal(new long[] { pick.Length, Dim }, rows.shape);
        var a = all.data<float>().ToArray();
        var r = rows.data<float>().ToArray();
        for (int k = 0; k < pick.Length; k++)
            Assert.Equal(a.AsSpan((int)pick[k] * Dim, Dim).ToArray(), r.AsSpan(k * Dim, Dim).ToArray());
    }

    [Theory, MemberData(nameof(Sides))]
    public void SameSeedSameTableOtherSeedOtherWeights(TableSide side)
    {
        if (RefusedSide(side)) return;
        using var a = Spec().Create(Context(side, seed: 5));
        using var b = Spec().Create(Context(side, seed: 5));
        using var c = Spec().Create(Context(side, seed: 6));
        var wa = a.All().data<float>().ToArray();
        Assert.Equal(wa, b.All().data<float>().ToArray());
        Assert.NotEqual(wa, c.All().data<float>().ToArray());
        if (a is HashedEmbeddingTable ha) Assert.Equal(ha.Maps(), ((HashedEmbeddingTable)b).Maps());
    }

    [Theory, MemberData(nameof(Sides))]
    public void GradientsReachTheRowsAndAStepMovesEveryId(TableSide side)
    {
        if (RefusedSide(side)) return;
        using var t = Spec().Create(Context(side));
        using var before = t.All().detach().clone();
        using (var loss = t.All().square().sum()) loss.backward();
        var parameters = t.parameters().ToArray();
        Assert.NotEmpty(parameters);
        foreach (var p in parameters)
        {
            Assert.False(p.grad is null);
            using var g = p.grad!.abs().sum();
            Assert.True(g.item<float>() > 0);
        }
        using (no_grad())
            foreach (var p in parameters) p.sub_(p.grad!.mul(0.1));
        using var after = t.All();
        using var moved = (after - before).abs().sum(1);
        Assert.All(moved.data<float>().ToArray(), m => Assert.True(m > 0)); // every id's vector depends on trained rows
    }

    [Theory, MemberData(nameof(Sides))]
    public void RowsWithinBudget(TableSide side)
    {
        if (RefusedSide(side)) return;
        var ctx = Context(side);
        using var t = Spec().Create(ctx);
        long rows = t.parameters().Sum(p => p.shape[0]);
        Assert.InRange(rows, 1, Budget(ctx));
        if (t is HashedEmbeddingTable h)
            Assert.All(h.Maps(), m => Assert.All(m, r => Assert.InRange(r, 0, h.Rows - 1)));
    }

    [Fact]
    public void SpecRoundTripsThroughRunJson()
    {
        var s = Spec();
        var json = JsonSerializer.Serialize<EmbeddingTableSpec>(s, Tc.Catalog.Json);
        Assert.Equal(s, JsonSerializer.Deserialize<EmbeddingTableSpec>(json, Tc.Catalog.Json));
    }
}
