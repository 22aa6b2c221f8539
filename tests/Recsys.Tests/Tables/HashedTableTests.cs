using Recsys.Data;
using Recsys.Embeddings.GraphHash;
using Recsys.Tables;
using static TorchSharp.torch;

namespace Recsys.Tests.Tables;

public class FullTableContractTests : EmbeddingTableContract
{
    protected override EmbeddingTableSpec Spec() => new FullTableSpec();
    protected override int Budget(TableContext ctx) => ctx.Count;
}

public class RandomHashTableTests : EmbeddingTableContract
{
    protected override EmbeddingTableSpec Spec() => new RandomHashTableSpec(7);
    protected override int Budget(TableContext ctx) => 7;

    [Fact]
    public void MapsIdModuloRows()
    {
        var (maps, rows) = new RandomHashTableSpec(4).Maps(Context(TableSide.Items));
        Assert.Equal(4, rows);
        Assert.Equal(Enumerable.Range(0, 30).Select(i => i % 4), Assert.Single(maps));
        Assert.Equal(30, new RandomHashTableSpec(100).Maps(Context(TableSide.Items)).Rows); // never more rows than ids
    }
}

public class DoubleHashTableTests : EmbeddingTableContract
{
    protected override EmbeddingTableSpec Spec() => new DoubleHashTableSpec(7);
    protected override int Budget(TableContext ctx) => 7;

    [Fact]
    public void TwoSeededHashesAndTheSumOfTheirRows()
    {
        var ctx = Context(TableSide.Users, seed: 3);
        var (maps, rows) = new DoubleHashTableSpec(5).Maps(ctx);
        Assert.Equal(2, maps.Length);
        Assert.NotEqual(maps[0], maps[1]);
        Assert.Equal(maps, new DoubleHashTableSpec(5).Maps(ctx).Maps);
        Assert.NotEqual(maps, new DoubleHashTableSpec(5).Maps(ctx with { Seed = 4 }).Maps);

        // The vector of an id is W[h1] + W[h2]: with single-hash tables over the same weights, compare.
        using var t = new HashedEmbeddingTable(maps, rows, 3, seed: 9);
        using var t1 = new HashedEmbeddingTable([maps[0]], rows, 3, seed: 9);
        using var t2 = new HashedEmbeddingTable([maps[1]], rows, 3, seed: 9);
        using var sum = t1.All() + t2.All();
        Assert.True(t.All().allclose(sum));
    }
}

public class FrequencyHashTableTests : EmbeddingTableContract
{
    protected override EmbeddingTableSpec Spec() => new FrequencyHashTableSpec(8);
    protected override int Budget(TableContext ctx) => 8;

    [Fact]
    public void MostFrequentIdsKeepOwnRows()
    {
        // Item degrees: item 5 → 4, item 2 → 3, item 0 → 2, others 1 (items 1, 3, 4).
        int[] u = [0, 1, 2, 3, 0, 1, 2, 0, 1, 0, 0, 0];
        int[] i = [5, 5, 5, 5, 2, 2, 2, 0, 0, 1, 3, 4];
        var train = InteractionMatrix.From(u, i, 4, 6);
        var (maps, rows) = new FrequencyHashTableSpec(4, Cutoff: 0.5).Maps(Tc.Context(train, TableSide.Items, 2, 1));
        Assert.Equal(4, rows);
        // k = 2 own rows at the end (item 5 → row 2, item 2 → row 3); the rest id mod 2.
        Assert.Equal(new[] { 0, 1, 3, 1, 0, 2 }, Assert.Single(maps));
    }
}

public class GraphHashTableTests : EmbeddingTableContract
{
    protected override EmbeddingTableSpec Spec() => new GraphHashTableSpec(Resolution: 1);
    protected override int Budget(TableContext ctx) => ctx.Count;

    /// <summary>Two disjoint complete bipartite blocks: users 0-3 × items 0-2 and users 4-7 × items 3-5.</summary>
    internal static InteractionMatrix TwoCliques()
    {
        var u = new List<int>(); var i = new List<int>();
        for (int x = 0; x < 8; x++)
            for (int y = 0; y < 3; y++) { u.Add(x); i.Add(x / 4 * 3 + y); }
        return InteractionMatrix.From(u.ToArray(), i.ToArray(), 8, 6);
    }

    [Fact]
    public void TwoDisjointCliquesGiveTwoRowsPerSide()
    {
        var train = TwoCliques();
        var users = new GraphHashTableSpec(1).Maps(Tc.Context(train, TableSide.Users, 4, 1));
        var items = new GraphHashTableSpec(1).Maps(Tc.Context(train, TableSide.Items, 4, 2));
        Assert.Equal(2, users.Rows);
        Assert.Equal(2, items.Rows);
        Assert.Equal(new[] { 0, 0, 0, 0, 1, 1, 1, 1 }, Assert.Single(users.Maps));
        Assert.Equal(new[] { 0, 0, 0, 1, 1, 1 }, Assert.Single(items.Maps));

        using var t = new GraphHashTableSpec(1).Create(Tc.Context(train, TableSide.Users, 4, 1));
        var all = t.All().data<float>().ToArray();
        Assert.Equal(all[0..4], all[12..16]);   // users 0 and 3 share a row
        Assert.NotEqual(all[0..4], all[16..20]); // users 0 and 4 do not
    }

    [Fact]
    public void RejectsAResolutionThatIsNotPositive() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new GraphHashTableSpec(Resolution: 0).Create(Context(TableSide.Users)));

    [Fact]
    public void UserAndItemTablesShareOneClustering()
    {
        var inputs = Tc.Inputs(TwoCliques());
        var a = GraphTableInputs.Mapping(inputs, 1, 0);
        Assert.Same(a, GraphTableInputs.Mapping(inputs, 1, 0));
        Assert.NotSame(a, GraphTableInputs.Mapping(inputs, 2, 0));
    }
}

public class DoubleGraphHashTableTests : EmbeddingTableContract
{
    protected override EmbeddingTableSpec Spec() => new DoubleGraphHashTableSpec(Resolution: 1);
    protected override int Budget(TableContext ctx) => ctx.Count;

    [Fact]
    public void ClusterRowPlusHashedRowInTheClusterTable()
    {
        var train = GraphHashTableTests.TwoCliques();
        var (maps, rows) = new DoubleGraphHashTableSpec(1).Maps(Tc.Context(train, TableSide.Users, 4, 1));
        Assert.Equal(2, rows);
        Assert.Equal(new[] { 0, 0, 0, 0, 1, 1, 1, 1 }, maps[0]);
        Assert.All(maps[1], r => Assert.InRange(r, 0, 1));
    }
}

public class LshTableTests : EmbeddingTableContract
{
    protected override EmbeddingTableSpec Spec() => new LshTableSpec(Rows: 6, FeatureDim: 8);
    protected override int Budget(TableContext ctx) => 6;

    [Fact]
    public void OppositeFeatureGroupsGetTwoDifferentBuckets()
    {
        // Features given directly: ids 0-3 along +v, ids 4-7 along −v (plus tiny noise).
        const int n = 8, dim = 8;
        var x = new float[n * dim];
        for (int i = 0; i < n; i++)
            for (int d = 0; d < dim; d++) x[i * dim + d] = (i < n / 2 ? 1 : -1) * (d + 1) + 0.001f * i;
        Assert.Equal(2, LshTableSpec.Bits(5)); // ⌊log₂ 5⌋ = 2 hyperplanes → 4 buckets ≤ 5
        var m = LshTableSpec.Buckets(x, n, dim, LshTableSpec.Bits(5), seed: 7);
        Assert.All(m[..4], r => Assert.Equal(m[0], r));
        Assert.All(m[4..], r => Assert.Equal(m[4], r));
        Assert.Equal(3, m[0] ^ m[4]); // opposite vectors fall on opposite sides of every hyperplane
    }

    [Fact]
    public void BitsFitTheBudget()
    {
        Assert.Equal(0, LshTableSpec.Bits(1));
        Assert.Equal(2, LshTableSpec.Bits(7));
        Assert.Equal(3, LshTableSpec.Bits(8));
    }
}

public class UniversalHashTests
{
    [Fact]
    public void SeededAndInRange()
    {
        var a = new UniversalHash(1).Map(1000, 17);
        Assert.Equal(a, new UniversalHash(1).Map(1000, 17));
        Assert.NotEqual(a, new UniversalHash(2).Map(1000, 17));
        Assert.All(a, v => Assert.InRange(v, 0, 16));
        Assert.Equal(17, a.Distinct().Count()); // 1000 keys reach every bucket
    }
}
