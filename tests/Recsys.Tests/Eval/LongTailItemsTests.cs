using Recsys.Data;
using Recsys.Eval;
using Recsys.Retrieval.Mips;

namespace Recsys.Tests.Eval;

public class LongTailItemsTests
{
    // Training degrees: item 0 → 5, 1 → 3, 2 → 1, 3 → 1, 4 → 0 (cold), 5 → 2. Trained items' degrees 1 1 2 3 5: median 2.
    private static readonly Dataset Data = new()
    {
        Name = "tail", NumUsers = 6, NumItems = 6,
        Train = new Interactions([0, 1, 2, 3, 4, 0, 1, 2, 5, 5, 3, 4], [0, 0, 0, 0, 0, 1, 1, 1, 2, 3, 5, 5]),
        Test = new Interactions([0, 0, 0, 1, 3], [2, 4, 5, 3, 1]),
    };

    [Fact]
    public void TheLongTailIsTrainedItemsAtMostTheMedianDegree()
    {
        Assert.Equal(new[] { false, false, true, true, false, true }, FullRankingEvaluator.LongTailItems(Data.TrainMatrix()));
        // Lower median for an even count: degrees 2 1 → median 1: item 1 only; item 2 is untrained (cold, not tail).
        Assert.Equal(new[] { false, true, false }, FullRankingEvaluator.LongTailItems(InteractionMatrix.From([0, 1, 2], [0, 0, 1], 3, 3)));
    }

    [Fact]
    public void TheLongTailSliceScoresOnlyLongTailTargets()
    {
        // One dimension; item i scores 6 − i for every user. Users 0 and 1 trained on items 0, 1 and rank 2, 3, 4, 5.
        // User 0's targets 2, 4, 5 keep 2 (rank 1) and 5 (rank 4; 4 is cold); user 1's target 3 (rank 2) is long tail;
        // user 3's item 1 (degree 3) is not.
        using var index = new BruteForceMipsIndex([6, 5, 4, 3, 2, 1], 1);
        float[] users = [1, 1, 1, 1, 1, 1];
        var r = FullRankingEvaluator.ForDataset(Data, new EvaluationOptions { Ks = [1, 3], Items = HeldOutItems.LongTail }).Evaluate(index, users);
        Assert.Equal(new[] { 0, 1 }, r.Users);
        Assert.Equal(new[] { 0.5, 0.0 }, r.PerUser("recall@1"));
        Assert.Equal(new[] { 0.5, 1.0 }, r.PerUser("recall@3"));
        Assert.Equal("longtail", EvaluatedData.Of(Data, new EvaluationOptions { Items = HeldOutItems.LongTail }).Items);
    }
}
