using Recsys.Data;
using Recsys.Eval;
using Recsys.Eval.Baselines;
using Recsys.Retrieval.Mips;

namespace Recsys.Tests.Eval.Baselines;

public class BaselineTests
{
    [Fact]
    public void MostPopularRanksByTrainDegree()
    {
        // Item degrees: i0 = 1, i1 = 3, i2 = 2, i3 = 0 → order i1, i2, i0, i3.
        var train = InteractionMatrix.From([0, 1, 2, 1, 2, 0], [1, 1, 1, 2, 2, 0], 3, 4);
        var (users, items) = MostPopular.Embeddings(train);
        Assert.Equal(new float[] { 1, 1, 1 }, users);
        Assert.Equal(new float[] { 1, 3, 2, 0 }, items);
        using var index = new BruteForceMipsIndex(items, 1);
        Assert.Equal(new[] { 1, 2, 0, 3 }, index.Search([1f], 4).Ids);
    }

    [Fact]
    public void ItemKnnHandSolved()
    {
        // u0 {0,1}, u1 {0,1,2}, u2 {2}: degrees all 2; co(0,1) = 2 → cos 1; co(0,2) = co(1,2) = 1 → cos 1/2.
        var train = InteractionMatrix.From([0, 0, 1, 1, 1, 2], [0, 1, 0, 1, 2, 2], 3, 3);
        var knn = ItemKnn.Fit(train, new ItemKnnOptions());
        var scores = new float[3 * 3];
        knn.Score([0, 1, 2], scores);
        // u0: i0 = sim(1→0) = 1, i1 = sim(0→1) = 1, i2 = 1/2 + 1/2.
        Assert.Equal(new float[] { 1, 1, 1, 1.5f, 1.5f, 1, 0.5f, 0.5f, 0 }, scores);
        // One neighbour per item: item 2's equal neighbours 0 and 1 → the lower id, 0.
        var one = ItemKnn.Fit(train, new ItemKnnOptions { Neighbours = 1 });
        Assert.Equal(new[] { 0 }, one.Similarity.ColIdx.AsSpan(one.Similarity.RowPtr[2], 1).ToArray());
        Assert.Equal(new[] { 1 }, one.Similarity.ColIdx.AsSpan(one.Similarity.RowPtr[0], 1).ToArray());
    }

    [Fact]
    public void ItemKnnMatchesDenseCosineAndTopNReference()
    {
        var d = FullRankingEvaluatorTests.RandomDataset(40, 60, seed: 8);
        var train = InteractionMatrix.From(d.Train, d.NumUsers, d.NumItems);
        const int n = 5;
        var knn = ItemKnn.Fit(train, new ItemKnnOptions { Neighbours = n });
        var sets = Enumerable.Range(0, d.NumItems).Select(i => train.UsersOf(i).ToArray().ToHashSet()).ToArray();
        for (int j = 0; j < d.NumItems; j++)
        {
            var expected = Enumerable.Range(0, d.NumItems).Where(i => i != j)
                .Select(i => (Id: i, Sim: sets[i].Count == 0 || sets[j].Count == 0 ? 0 : sets[i].Intersect(sets[j]).Count() / Math.Sqrt(sets[i].Count * sets[j].Count)))
                .Where(p => p.Sim > 0).OrderByDescending(p => p.Sim).ThenBy(p => p.Id).Take(n).OrderBy(p => p.Id).ToArray();
            var s = knn.Similarity;
            var ids = s.ColIdx.AsSpan(s.RowPtr[j], s.RowPtr[j + 1] - s.RowPtr[j]).ToArray();
            Assert.Equal(expected.Select(p => p.Id), ids);
            for (int k = 0; k < ids.Length; k++) Assert.Equal(expected[k].Sim, s.Values[s.RowPtr[j] + k], 6);
        }
    }

    [Fact]
    public void ItemKnnRunsThroughTheEvaluator()
    {
        var d = FullRankingEvaluatorTests.RandomDataset(50, 80, seed: 12);
        var train = InteractionMatrix.From(d.Train, d.NumUsers, d.NumItems);
        var knn = ItemKnn.Fit(train, new ItemKnnOptions { Neighbours = 10 });
        var ev = FullRankingEvaluator.ForDataset(d, new EvaluationOptions { Ks = [10] });
        var r = ev.Evaluate(knn);
        Assert.Equal(ev.Users.Count, r.NumUsers);
        Assert.InRange(r.Mean("recall@10"), 0.0, 1.0);
    }
}
