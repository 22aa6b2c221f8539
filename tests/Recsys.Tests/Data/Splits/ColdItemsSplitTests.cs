using Recsys.Data;
using Recsys.Data.Splits;
using Recsys.Data.Synthetic;
using Recsys.Tests.Infrastructure;

namespace Recsys.Tests.Data.Splits;

public class ColdItemsSplitTests
{
    private static readonly Dataset Source = SyntheticGenerator.Generate(new SyntheticOptions { Users = 80, Items = 60, Seed = 4 });

    [Fact]
    public void ColdItemsLeaveTrainAndValidationWhileTestAndEverythingElseStays()
    {
        var o = new ColdItemsOptions { Fraction = 0.1, Seed = 7 };
        var cold = ColdItemsSplit.Pick(Source.NumItems, o);
        Assert.Equal(6, cold.Length); // round(60 · 0.1)
        Assert.Equal(cold.Distinct().Order(), cold);
        var split = ColdItemsSplit.Apply(Source, o);

        var isCold = new bool[Source.NumItems];
        foreach (var i in cold) isCold[i] = true;
        Assert.DoesNotContain(split.Train.Items, i => isCold[i]);
        Assert.DoesNotContain(split.Valid?.Items ?? [], i => isCold[i]);
        // Test is untouched; warm items keep every training and validation interaction, in order.
        Assert.Equal(Source.Test.Users, split.Test.Users);
        Assert.Equal(Source.Test.Items, split.Test.Items);
        var warm = Enumerable.Range(0, Source.Train.Count).Where(r => !isCold[Source.Train.Items[r]]).ToArray();
        Assert.Equal(warm.Select(r => Source.Train.Users[r]), split.Train.Users);
        Assert.Equal(warm.Select(r => Source.Train.Items[r]), split.Train.Items);
        Assert.Equal((Source.NumUsers, Source.NumItems), (split.NumUsers, split.NumItems));
        int dropped = Source.Train.Count + (Source.Valid?.Count ?? 0) - split.Train.Count - (split.Valid?.Count ?? 0);
        Assert.True(dropped > 0);
        Assert.Equal(dropped.ToString(), split.Provenance["cold_items.dropped_interactions"]);
        Assert.Equal("6", split.Provenance["cold_items.count"]);
    }

    [Fact]
    public void SeededAndUniform()
    {
        var a = ColdItemsSplit.Pick(1000, new ColdItemsOptions { Fraction = 0.2, Seed = 1 });
        Assert.Equal(a, ColdItemsSplit.Pick(1000, new ColdItemsOptions { Fraction = 0.2, Seed = 1 }));
        Assert.NotEqual(a, ColdItemsSplit.Pick(1000, new ColdItemsOptions { Fraction = 0.2, Seed = 2 }));
        Assert.Equal(200, a.Length);
        // A uniform sample of 0..999: about a fifth of each half (binomial sd ≈ 6.3 for the lower half's 100).
        Assert.InRange(a.Count(i => i < 500), 75, 125);
        Assert.Single(ColdItemsSplit.Pick(3, new ColdItemsOptions { Fraction = 0.01 }));
        Assert.Equal(2, ColdItemsSplit.Pick(3, new ColdItemsOptions { Fraction = 0.99 }).Length); // one item stays warm
        Assert.Throws<ArgumentOutOfRangeException>(() => ColdItemsSplit.Pick(10, new ColdItemsOptions { Fraction = 1 }));
    }

    [Fact]
    public void TheCliSplitsColdItemsAfterAnyMethodOrOnTheCurrentSplit()
    {
        var dir = TestPaths.NewTempDir();
        var data = Path.Combine(dir, "data");
        DatasetFolder.Write(Source, data);
        var r = CliHarness.Run("data", "split", data, "--cold-items", "0.1", "--seed", "7", "--out", Path.Combine(dir, "cold"));
        Assert.True(r.Code == 0, r.Err);
        var cold = DatasetFolder.Read(Path.Combine(dir, "cold"));
        Assert.Equal(ColdItemsSplit.Apply(Source, new ColdItemsOptions { Fraction = 0.1, Seed = 7 }).Train.Items, cold.Train.Items);

        r = CliHarness.Run("data", "split", data, "--method", "random", "--cold-items", "0.1", "--seed", "7", "--out", Path.Combine(dir, "both"));
        Assert.True(r.Code == 0, r.Err);
        Assert.Equal("random", DatasetFolder.Read(Path.Combine(dir, "both")).Provenance["split"]);

        r = CliHarness.Run("eval", "--data", Path.Combine(dir, "cold"), "--model", "pop", "--items", "cold", "--k", "10", "--json");
        Assert.True(r.Code == 0, r.Err);
        r = CliHarness.Run("data", "split", data, "--out", Path.Combine(dir, "none"));
        Assert.NotEqual(0, r.Code);
        Assert.Contains("--method", r.Err);
        r = CliHarness.Run("data", "split", data, "--cold-items", "1.5", "--out", Path.Combine(dir, "bad"));
        Assert.Equal(2, r.Code);
        Assert.Contains("--cold-items", r.Err);
        Assert.False(Directory.Exists(Path.Combine(dir, "bad")));
    }
}
