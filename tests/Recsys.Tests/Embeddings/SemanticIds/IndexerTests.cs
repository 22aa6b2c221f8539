using Recsys.Tests.Infrastructure;
using Recsys.Catalog;
using Recsys.Data;
using Recsys.Data.SemanticIds;
using Recsys.Data.Synthetic;
using Recsys.Embeddings.SemanticIds;
using Recsys.Embeddings.SemanticIds.Features;
using Recsys.Embeddings.SemanticIds.RqVae;
using Recsys.Embeddings.SemanticIds.Schemes;

namespace Recsys.Tests.Embeddings.SemanticIds;

/// <summary>Every registered indexer on small synthetic data: unique tuples in range, determinism, and the rules on settings.</summary>
public class IndexerTests
{
    private static readonly Lazy<(Dataset Data, SemanticIndexInput Input)> Synthetic = new(() =>
    {
        var d = SequenceGenerator.Generate(new SequenceOptions { Users = 200, Items = 120, Brands = 6, Categories = 4, Seed = 7 });
        var (features, _) = ItemFeatureBuilder.Build(d, [new AttributeBlock(16, 1), new GraphBlock(false, GraphBlock.DefaultOptions with { Dim = 16 })]);
        return (d, SemanticIndexInput.From(d, features));
    });

    /// <summary>Settings small enough for a test: RQ-VAE trains 3 epochs of narrow layers.</summary>
    private static ISemanticIndexer Create(SemanticIndexerKind kind, SemanticIndexSettings settings)
    {
        var args = new KindArguments();
        if (kind.Name == RqVaeKind.Name) args.Set(RqVaeKind.Epochs, 3).Set(RqVaeKind.Batch, 32).Set(RqVaeKind.Latent, 8);
        return kind.Create(settings, args);
    }

    public static TheoryData<string> Methods() => [.. SemanticIndexers.Standard().Kinds.Select(k => k.Name)];

    [Theory]
    [MemberData(nameof(Methods))]
    public void EveryTupleIsUniqueAndEveryCodeInRange(string method)
    {
        var (d, input) = Synthetic.Value;
        var settings = new SemanticIndexSettings { Levels = 2, Codes = 8, Seed = 1 };
        var r = Create(SemanticIndexers.Standard().Get(method), settings).Index(input);
        var c = r.Codes;
        Assert.Equal(method, c.Method);
        Assert.Equal(d.NumItems, c.NumItems);
        Assert.Equal(3, c.Width);
        var tuples = new HashSet<string>();
        for (int i = 0; i < c.NumItems; i++)
        {
            var t = c.Of(i).ToArray();
            Assert.True(tuples.Add(string.Join(',', t)), $"item {i} repeats a tuple");
            Assert.InRange(t[0], 0, 7);
            Assert.InRange(t[1], 0, 7);
        }
        // The disambiguation column numbers each collision group 0, 1, …: its cardinality is the largest group.
        Assert.Equal(SemanticIndexInfo.Of(c).LargestCollisionGroup, c.Cardinalities[2]);
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public void TheSameSeedGivesTheSameCodes(string method)
    {
        var (_, input) = Synthetic.Value;
        var kind = SemanticIndexers.Standard().Get(method);
        var settings = new SemanticIndexSettings { Levels = 2, Codes = 8, Seed = 4 };
        var a = Create(kind, settings).Index(input).Codes;
        var b = Create(kind, settings).Index(input).Codes;
        Assert.Equal(a.All.ToArray(), b.All.ToArray());
    }

    [Fact]
    public void MoreCodesThanItemsIsRefusedNamingTheSetting()
    {
        var (_, input) = Synthetic.Value;
        var e = Assert.Throws<ArgumentOutOfRangeException>(() =>
            new RandomIndexer(new SemanticIndexSettings { Codes = 121 }).Index(input));
        Assert.Equal("Codes", e.ParamName);
        Assert.Contains("120 items", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new SemanticIndexSettings { Levels = 0 }.Validate(10));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SemanticIndexSettings { Codes = 1 }.Validate(10));
    }

    [Fact]
    public void FeatureMethodsWithoutFeaturesSaySo()
    {
        var input = new SemanticIndexInput(50);
        foreach (var name in new[] { "rqvae", "rqkmeans" })
        {
            var e = Assert.Throws<ArgumentException>(() => Create(SemanticIndexers.Standard().Get(name), new SemanticIndexSettings { Codes = 4 }).Index(input));
            Assert.Contains("recsys features", e.Message);
        }
    }

    [Fact]
    public void FeaturesWithNaNAreRefusedNamingItemAndColumn()
    {
        var values = new float[12];
        values[7] = float.NaN;
        var e = Assert.Throws<ArgumentException>(() => new ItemFeatures(4, 3, values));
        Assert.Contains("item 2 feature 1", e.Message);
    }

    [Fact]
    public void SequentialNumbersItemsByFirstAppearanceAndWritesTheFractionInBaseK()
    {
        // Histories: user 0 = [3, 1], user 1 = [1, 0]; item 2 appears nowhere → order 3, 1, 0, then 2.
        var train = new Interactions([0, 0, 1, 1], [3, 1, 1, 0], [0, 1, 0, 1]);
        var input = new SemanticIndexInput(4) { Histories = UserHistories.From(train, 2, 4) };
        Assert.Equal(new[] { 2, 1, 3, 0 }, SequentialIndexer.FirstAppearance(input.Histories!, 4));
        var c = new SequentialIndexer(new SemanticIndexSettings { Levels = 2, Codes = 2 }).Index(input).Codes;
        // p / 4 in base 2: p = 0 → .00, 1 → .01, 2 → .10, 3 → .11.
        Assert.Equal(new[] { 1, 0, 0 }, c.Of(0).ToArray());   // p = 2
        Assert.Equal(new[] { 0, 1, 0 }, c.Of(1).ToArray());   // p = 1
        Assert.Equal(new[] { 1, 1, 0 }, c.Of(2).ToArray());   // p = 3
        Assert.Equal(new[] { 0, 0, 0 }, c.Of(3).ToArray());   // p = 0
    }

    [Fact]
    public void RqKMeansOnPlantedClustersPutsEachClusterUnderOneFirstCode()
    {
        // 4 well separated clusters of 10 items (cluster i mod 4 around 10·e_(i mod 4) in 4-d): with K = 4 the first code is the cluster.
        var rng = new Random(2);
        var x = new float[40 * 4];
        for (int i = 0; i < 40; i++)
            for (int j = 0; j < 4; j++)
                x[i * 4 + j] = (j == i % 4 ? 10f : 0f) + (float)rng.NextDouble() * 0.1f;
        var input = new SemanticIndexInput(40) { Features = new ItemFeatures(40, 4, x) };
        var c = SemanticIndexers.Standard().Get("rqkmeans").Create(new SemanticIndexSettings { Levels = 2, Codes = 4 }, new KindArguments()).Index(input).Codes;
        var first = Enumerable.Range(0, 40).Select(i => c.Of(i)[0]).ToArray();
        for (int i = 0; i < 40; i++)
            for (int j = 0; j < 40; j++)
                Assert.Equal(i % 4 == j % 4, first[i] == first[j]);
    }

    [Fact]
    public void RqVaeReportsLossesPerEpochAndAReconstructionError()
    {
        var (_, input) = Synthetic.Value;
        var r = Create(SemanticIndexers.Standard().Get("rqvae"), new SemanticIndexSettings { Levels = 2, Codes = 8 }).Index(input);
        Assert.Equal(3, r.Losses.Count);
        Assert.All(r.Losses, l => Assert.True(double.IsFinite(l.Total) && Math.Abs(l.Total - l.Reconstruction - l.Quantization) < 1e-4));
        Assert.True(r.ReconstructionError is > 0 and < 10);
    }

    [Fact]
    public void UnknownMethodListsTheKnownOnes()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => SemanticIndexers.Standard().Get("lsh"));
        Assert.Contains("rqvae", e.Message);
        Assert.Throws<ArgumentException>(() => SemanticIndexers.Standard().Add(RandomIndexer.Registration));
    }

    [Fact]
    public void CodesFileForAnotherCatalogIsAnError()
    {
        var dir = TestPaths.NewTempDir();
        var path = Path.Combine(dir, "codes.arrow");
        SemanticIdCodes.Disambiguate(3, [2], [0, 1, 1], "random").Write(path);
        var e = Assert.Throws<DataFormatException>(() => SemanticIdCodes.Read(path, 5));
        Assert.Contains("3 items", e.Message);
        Assert.Contains("5", e.Message);
    }
}
