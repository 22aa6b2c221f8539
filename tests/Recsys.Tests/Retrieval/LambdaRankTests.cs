using Recsys.Data;
using Recsys.Models;
using Recsys.Retrieval.Mips;
using Recsys.Retrieval.Ranking;
using Recsys.Tests.Infrastructure;

namespace Recsys.Tests.Retrieval;

public class LambdaRankTests
{
    [Fact]
    public void FeaturesOfATinyCaseMatchAHandComputation()
    {
        // Items (dim 2): 0 = (1,0), 1 = (0,1), 2 = (1,1), 3 = (2,0), 4 = (0,0). User 0's row = (1,2).
        var snapshot = new ModelSnapshot(new ModelEmbeddings([1, 2, 0, 0], [1, 0, 0, 1, 1, 1, 2, 0, 0, 0], 2));
        // Training histories: user 0 = 0 → 1 → 2, user 1 = 1 → 2 → 3 (file order).
        var x = new Interactions([0, 0, 0, 1, 1, 1], [0, 1, 2, 1, 2, 3]);
        var train = InteractionMatrix.From(x, 2, 5);
        var histories = UserHistories.From(x, 2, 5);
        // Attributes: 0 {10}, 1 {20}, 2 {10, 20}, 3 {30}, 4 none.
        var attributes = new ItemAttributes([0, 1, 2, 2, 3], [10, 20, 10, 20, 30], []);
        var f = new CandidateFeatures(snapshot, train, histories, attributes);

        var got = f.Build(0, [0, 1], [3, 2, 4]);
        float ln2 = MathF.Log(2), ln3 = MathF.Log(3);
        //                score rank  popularity  historyLength overlap share recency transitions
        float[] item3 = [2, ln2, ln2, ln3, 0, 0, 0, 0];
        float[] item2 = [3, 0, ln3, ln3, 1, 0.5f, 1, ln3];   // both history items share an attribute; shares (1 + 1)/2 of 2; attribute 20 on the last item; 1 → 2 seen twice
        float[] item4 = [0, ln3, 0, ln3, 0, 0, 0, 0];
        Assert.Equal(item3.Concat(item2).Concat(item4).ToArray(), got);
        Assert.Equal(CandidateFeatures.Names.Length, CandidateFeatures.Count);

        // No history: length and attribute features are zero, transitions too; an unknown user needs an encoder.
        var empty = f.Build(1, [], [2]);
        Assert.Equal(new float[] { 0, 0, ln3, 0, 0, 0, 0, 0 }, empty);
        Assert.Throws<ArgumentException>(() => f.Build(-1, [0], [2]));
        Assert.Throws<ArgumentOutOfRangeException>(() => f.Build(0, [0], [5]));
    }

    /// <summary>30 items, 80 users (user rows, no encoder) whose last training step always follows the chain i → i + 1: transitions predict the held-out item.</summary>
    internal static (CandidateFeatures Features, int[][] Histories, float[] Items) Synthetic()
    {
        const int items = 30, users = 80, dim = 4;
        var rng = new Random(3);
        var emb = Enumerable.Range(0, (users + items) * dim).Select(_ => (float)rng.NextDouble() - 0.5f).ToArray();
        var histories = new int[users][];
        for (int u = 0; u < users; u++)
        {
            int len = rng.Next(3, 7);
            var h = new List<int>();
            while (h.Count < len - 1) { int i = rng.Next(items); if (!h.Contains(i)) h.Add(i); }
            int next = (h[^1] + 1) % items;
            if (h.Contains(next)) h.Remove(next);
            h.Add(next);
            histories[u] = h.ToArray();
        }
        var x = new Interactions(histories.SelectMany((h, u) => h.Select(_ => u)).ToArray(), histories.SelectMany(h => h).ToArray());
        var snapshot = new ModelSnapshot(new ModelEmbeddings(emb[..(users * dim)], emb[(users * dim)..], dim));
        var f = new CandidateFeatures(snapshot, InteractionMatrix.From(x, users, items), UserHistories.From(x, users, items), null);
        return (f, histories, emb[(users * dim)..]);
    }

    internal static LambdaRankOptions Small => new() { Candidates = 30, Iterations = 20, Leaves = 4, MinExamplesPerLeaf = 5 };

    [Fact]
    public void ScoresDoNotDependOnTheOtherCandidatesOrTheirOrder()
    {
        var (f, histories, items) = Synthetic();
        using var index = new ExactCpuMipsIndex(items, 4);
        using var ranker = LightGbmRanker.Fit(f, RankerExampleSet.HeldOutTraining(histories), index, Small);
        int[] candidates = [5, 17, 3, 28, 11, 0, 9];
        var history = histories[7];
        var s = ranker.Score(7, history, candidates);
        Assert.True(s.Distinct().Count() > 1, "the ranker scores every candidate alike: it learned nothing");
        var rng = new Random(4);
        for (int trial = 0; trial < 5; trial++)
        {
            var perm = candidates.OrderBy(_ => rng.Next()).ToArray();
            var p = ranker.Score(7, history, perm);
            for (int j = 0; j < perm.Length; j++) Assert.Equal(s[Array.IndexOf(candidates, perm[j])], p[j]);
        }
    }

    [Fact]
    public void FitSaveLoadRoundTripAndTheRankerLearnsTheTransitions()
    {
        var (f, histories, items) = Synthetic();
        using var index = new ExactCpuMipsIndex(items, 4);
        using var ranker = LightGbmRanker.Fit(f, RankerExampleSet.HeldOutTraining(histories), index, Small);
        Assert.Equal(80, ranker.Info.Groups);   // every held-out item is among the 30 candidates
        Assert.Equal(RankerExampleSource.HeldOutTraining, ranker.Info.Source);
        Assert.Equal(RankerExampleSource.HeldOutTraining, ranker.Info.Options.Examples);   // the record names the source the examples came from
        var dir = TestPaths.NewTempDir();
        ranker.Save(dir);
        Assert.True(LightGbmRanker.ExistsIn(dir));
        using var loaded = LightGbmRanker.Load(dir, f);
        Assert.Equal(ranker.Info.Examples, loaded.Info.Examples);
        Assert.Equal(RankerExampleSource.HeldOutTraining, loaded.Info.Source);
        int top = 0;
        for (int u = 0; u < histories.Length; u++)
        {
            var context = histories[u][..^1];
            var candidates = Enumerable.Range(0, 30).Where(i => !context.Contains(i)).ToArray();
            var a = ranker.Score(u, context, candidates);
            Assert.Equal(a, loaded.Score(u, context, candidates));
            int best = candidates[Array.IndexOf(a, a.Max())];
            if (best == histories[u][^1]) top++;
        }
        // The held-out item follows the chain; a first stage of random vectors alone would put it first ≈ 1/27 of the time.
        Assert.True(top >= 40, $"held-out item ranked first for {top} of 80 users");
        Assert.Throws<ArgumentOutOfRangeException>(() => new LambdaRankOptions { Candidates = 1 }.Validate());
    }
}
