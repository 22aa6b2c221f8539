using System.Text.Json.Nodes;
using Recsys.Data;
using Recsys.Eval;
using Recsys.Retrieval.Mips;
using Recsys.Tests.Infrastructure;

namespace Recsys.Tests.Eval;

/// <summary>cold_share@K: the share of a top-K list held by items without training interactions, checked by hand.</summary>
public class ColdShareTests
{
    // Training: user 0 → 0, 1; user 1 → 0, 1; user 2 → 0, 2; item 3 and item 4 have no training interaction (cold).
    private static readonly Dataset Data = new()
    {
        Name = "cold-share", NumUsers = 3, NumItems = 5,
        Train = new Interactions([0, 0, 1, 1, 2, 2], [0, 1, 0, 1, 0, 2]),
        Test = new Interactions([0, 1, 2], [3, 2, 1]),
    };

    // One dimension, item i scores 5 − i for every user: each user's list is the untrained items in id order.
    private static EvaluationResult Evaluate(EvaluationOptions options)
    {
        using var index = new BruteForceMipsIndex([5, 4, 3, 2, 1], 1);
        return FullRankingEvaluator.ForDataset(Data, options).Evaluate(index, [1, 1, 1]);
    }

    [Fact]
    public void TheShareCountsColdItemsInTheFirstKSlots()
    {
        var r = Evaluate(new EvaluationOptions { Ks = [1, 2, 3], ColdShare = true });
        // Lists: user 0 → 2, 3, 4; user 1 → 2, 3, 4; user 2 → 1, 3, 4. Cold slots at K = 1, 2, 3: 0, 1, 2 for everyone.
        Assert.Equal(new[] { 0.0, 0, 0 }, r.PerUser("cold_share@1"));
        Assert.Equal(new[] { 0.5, 0.5, 0.5 }, r.PerUser("cold_share@2"));
        Assert.Equal(2.0 / 3, r.Mean("cold_share@3"), 12);
        // The other metrics are unchanged by the extra column: user 0's target 3 is at rank 2.
        Assert.Equal(new[] { 1.0, 1, 1 }, r.PerUser("recall@2"));
        Assert.Equal(["cold_share@1", "cold_share@2", "cold_share@3"], r.Keys.Where(k => k.StartsWith("cold_share")));
        Assert.Equal("cold_share@3", r.Keys[^1]);
    }

    [Fact]
    public void PaddedSlotsAreNotColdAndTheShareStillDividesByK()
    {
        // Five items, two trained per user: three reachable, so K = 5 pads two slots; two of three reachable are cold.
        var r = Evaluate(new EvaluationOptions { Ks = [5], ColdShare = true });
        Assert.Equal(new[] { 0.4, 0.4, 0.4 }, r.PerUser("cold_share@5"));
    }

    [Fact]
    public void CandidateListsAreCountedLikeTheIndexPath()
    {
        var options = new EvaluationOptions { Ks = [2], ColdShare = true };
        var evaluator = FullRankingEvaluator.ForDataset(Data, options);
        // User 0 lists the cold items first; user 1 a trained (excluded) item, then 2 and 4; user 2 nothing.
        var lists = new CandidateLists([0, 1, 2], 3, [4, 3, -1, 0, 2, 4, -1, -1, -1]);
        var r = evaluator.Evaluate(lists);
        Assert.Equal(new[] { 1.0, 0.5, 0 }, r.PerUser("cold_share@2"));
    }

    [Fact]
    public void NotReportedWithoutColdItemsOrWhenNotAsked()
    {
        Assert.DoesNotContain("cold_share@2", Evaluate(new EvaluationOptions { Ks = [2] }).Keys);
        var warm = Data with { Train = new Interactions([0, 0, 1, 1, 2, 2, 2, 2], [0, 1, 0, 1, 0, 2, 3, 4]) };
        Assert.Null(FullRankingEvaluator.ColdItems(warm.TrainMatrix()));
        using var index = new BruteForceMipsIndex([5, 4, 3, 2, 1], 1);
        var r = FullRankingEvaluator.ForDataset(warm, new EvaluationOptions { Ks = [2], ColdShare = true }).Evaluate(index, [1, 1, 1]);
        Assert.DoesNotContain("cold_share@2", r.Keys);
        Assert.Equal(new[] { false, false, false, true, true }, FullRankingEvaluator.ColdItems(Data.TrainMatrix()));
    }

    [Fact]
    public void AMaskOfTheWrongSizeIsRefused()
    {
        var e = Assert.Throws<ArgumentException>(() => new FullRankingEvaluator(InteractionMatrix.From(Data.Test, 3, 5), Exclusions.From(Data.TrainMatrix()),
            new EvaluationOptions(), new bool[4]));
        Assert.Contains("4 entries for 5 items", e.Message);
    }

    [Fact]
    public void RecsysEvalReportsTheShareOnDataWithColdItems()
    {
        var dir = TestPaths.NewTempDir();
        var cold = Path.Combine(dir, "cold"); DatasetFolder.Write(Data, cold);
        var r = CliHarness.Run("eval", "--data", cold, "--model", "pop", "--k", "1,3", "--json");
        Assert.True(r.Code == 0, r.Err);
        var json = JsonNode.Parse(r.Out)!;
        // Training popularity 3, 2, 1, 0, 0: every user has one trained item left to rank first (users 0 and 1: item 2;
        // user 2: item 1), then the two untrained items — none in the first slot, two of the first three.
        Assert.Equal(0, json["cold_share@1"]!.GetValue<double>());
        Assert.Equal(2.0 / 3, json["cold_share@3"]!.GetValue<double>(), 12);
        var warm = Path.Combine(dir, "warm");
        DatasetFolder.Write(Data with { Train = new Interactions([0, 0, 1, 1, 2, 2, 2, 2], [0, 1, 0, 1, 0, 2, 3, 4]) }, warm);
        var w = CliHarness.Run("eval", "--data", warm, "--model", "pop", "--k", "1", "--json");
        Assert.True(w.Code == 0, w.Err);
        Assert.Null(JsonNode.Parse(w.Out)!["cold_share@1"]);
    }
}
