using Recsys.Data;
using Recsys.Eval;
using Recsys.Retrieval.Mips;

namespace Recsys.Tests.Eval;

public class CandidateListsEvaluationTests
{
    private static void AssertSame(EvaluationResult expected, EvaluationResult got)
    {
        Assert.Equal(expected.Keys, got.Keys);
        Assert.Equal(expected.Users, got.Users);
        foreach (var key in expected.Keys)
        {
            Assert.Equal(expected.PerUser(key), got.PerUser(key));
            Assert.Equal(expected.Mean(key), got.Mean(key));
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ScoringTheIndexsOwnListsEqualsTheIndexPath(bool withValid)
    {
        int users = 70, items = 90, dim = 8;
        var d = FullRankingEvaluatorTests.RandomDataset(users, items, seed: 11, withValid);
        var ue = FullRankingEvaluatorTests.RandomMatrix(users, dim, seed: 12);
        var ie = FullRankingEvaluatorTests.RandomMatrix(items, dim, seed: 13);
        var ev = FullRankingEvaluator.ForDataset(d, new EvaluationOptions { Ks = [5, 10], BlockSize = 16 });
        using var index = new ExactCpuMipsIndex(ie, dim);
        var viaIndex = ev.Evaluate(index, ue);

        // The index's own top-max(K) lists with the protocol's exclusions.
        var train = InteractionMatrix.From(d.Train, users, items);
        var exclude = d.Valid is null ? Exclusions.From(train) : Exclusions.Union(train, InteractionMatrix.From(d.Valid, users, items));
        var all = Enumerable.Range(0, users).ToArray();
        var own = CandidateLists.From(all, index.Search(ue, 10, exclude));
        AssertSame(viaIndex, ev.Evaluate(own));

        // Unfiltered full rankings: the evaluator drops the excluded items itself and lands on the same ranks.
        var unfiltered = CandidateLists.From(all, index.Search(ue, items));
        AssertSame(viaIndex, ev.Evaluate(unfiltered));
        Assert.Equal("candidate lists", ev.Evaluate(own).Scoring);
    }

    [Fact]
    public void HandComputedLists()
    {
        // User 0: train {0}, test {1, 3}. User 1: train {2}, test {4}. User 2: no test item (not evaluated).
        var d = new Dataset
        {
            Name = "hand", NumUsers = 3, NumItems = 6,
            Train = new Interactions([0, 1, 2], [0, 2, 5]),
            Test = new Interactions([0, 0, 1], [1, 3, 4]),
        };
        var ev = FullRankingEvaluator.ForDataset(d, new EvaluationOptions { Ks = [2] });
        // User 0 ranks the excluded item 0 first: it is skipped, leaving [1, 5]. User 1 repeats 5: [5, 4].
        var lists = new CandidateLists([1, 0, 2], 4, [5, 5, 4, -1, 0, 1, 5, 3, 1, 3, 4, -1]);
        var r = ev.Evaluate(lists);
        Assert.Equal(new[] { 0, 1 }, r.Users);
        double l3 = 1 / Math.Log2(3);
        Assert.Equal(new[] { 0.5, 1.0 }, r.PerUser("recall@2"));
        Assert.Equal(new[] { 0.5, 0.5 }, r.PerUser("precision@2"));
        Assert.Equal(new[] { 1.0, 1.0 }, r.PerUser("hit@2"));
        Assert.Equal(new[] { 1.0, 0.5 }, r.PerUser("mrr@2"));
        var ndcg = r.PerUser("ndcg@2");
        Assert.Equal(1 / (1 + l3), ndcg[0], 12);
        Assert.Equal(l3, ndcg[1], 12);

        // A user without a list scores zero everywhere.
        var partial = ev.Evaluate(new CandidateLists([0], 2, [1, 3]));
        Assert.Equal(new[] { 1.0, 0.0 }, partial.PerUser("recall@2"));
    }

    [Fact]
    public void ListsAreValidated()
    {
        Assert.Throws<ArgumentException>(() => new CandidateLists([0, 1], 2, [1, 2, 3]));
        Assert.Throws<ArgumentException>(() => new CandidateLists([0, 0], 1, [1, 2]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CandidateLists([0], 1, [-2]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CandidateLists([0], 0, []));
    }
}
