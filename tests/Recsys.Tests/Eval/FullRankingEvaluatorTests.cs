using Recsys.Data;
using Recsys.Eval;
using Recsys.Retrieval.Mips;

namespace Recsys.Tests.Eval;

public class FullRankingEvaluatorTests
{
    /// <summary>Random dataset with train / valid / test and some users without test items.</summary>
    internal static Dataset RandomDataset(int users, int items, int seed, bool withValid = true)
    {
        var rng = new Random(seed);
        var tr = new List<(int, int)>(); var va = new List<(int, int)>(); var te = new List<(int, int)>();
        for (int u = 0; u < users; u++)
            foreach (var i in Enumerable.Range(0, rng.Next(0, 40)).Select(_ => rng.Next(items)).Distinct())
            {
                double x = rng.NextDouble();
                (x < 0.6 ? tr : x < 0.75 && withValid ? va : te).Add((u, i));
            }
        static Interactions Of(List<(int U, int I)> l) => new(l.Select(p => p.U).ToArray(), l.Select(p => p.I).ToArray());
        return new Dataset
        {
            Name = "random", NumUsers = users, NumItems = items,
            Train = Of(tr), Valid = withValid ? Of(va) : null, Test = Of(te),
        };
    }

    internal static float[] RandomMatrix(int rows, int dim, int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, rows * dim).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
    }

    /// <summary>
    /// Reference metrics straight from the definitions: score every item in double precision, drop excluded items,
    /// sort the whole row (score desc, id asc), and compute each metric with its own formula.
    /// </summary>
    private static Dictionary<string, Dictionary<int, double>> Reference(Dataset d, float[] ue, float[] ie, int dim, int[] ks, bool valid)
    {
        var target = (valid ? d.Valid! : d.Test);
        var targetSets = Enumerable.Range(0, d.NumUsers).Select(_ => new HashSet<int>()).ToArray();
        for (int r = 0; r < target.Count; r++) targetSets[target.Users[r]].Add(target.Items[r]);
        var excluded = Enumerable.Range(0, d.NumUsers).Select(_ => new HashSet<int>()).ToArray();
        var exParts = valid || d.Valid is null ? new[] { d.Train } : new[] { d.Train, d.Valid };
        foreach (var p in exParts) for (int r = 0; r < p.Count; r++) excluded[p.Users[r]].Add(p.Items[r]);
        var result = new Dictionary<string, Dictionary<int, double>>();
        void Put(string key, int u, double v) { if (!result.TryGetValue(key, out var m)) result[key] = m = new(); m[u] = v; }
        for (int u = 0; u < d.NumUsers; u++)
        {
            var t = targetSets[u];
            if (t.Count == 0) continue;
            var ranked = Enumerable.Range(0, d.NumItems).Where(i => !excluded[u].Contains(i))
                .Select(i => (S: Enumerable.Range(0, dim).Sum(x => (double)ue[u * dim + x] * ie[i * dim + x]), Id: i))
                .OrderByDescending(p => p.S).ThenBy(p => p.Id).Select(p => p.Id).ToArray();
            foreach (var k in ks)
            {
                var top = ranked.Take(k).ToArray();
                var hitRanks = Enumerable.Range(0, top.Length).Where(r => t.Contains(top[r])).ToArray();
                int h = hitRanks.Length;
                Put($"recall@{k}", u, (double)h / t.Count);
                Put($"precision@{k}", u, (double)h / k);
                Put($"hit@{k}", u, h > 0 ? 1 : 0);
                Put($"mrr@{k}", u, h > 0 ? 1.0 / (hitRanks[0] + 1) : 0);
                double dcg = hitRanks.Sum(r => 1 / Math.Log2(r + 2));
                double idcg = Enumerable.Range(0, Math.Min(t.Count, k)).Sum(r => 1 / Math.Log2(r + 2));
                Put($"ndcg@{k}", u, dcg / idcg);
                double idcgLegacy = Enumerable.Range(0, h).Sum(r => 1 / Math.Log2(r + 2));
                Put($"ndcg_legacy@{k}", u, h == 0 ? 0 : dcg / idcgLegacy);
                Put($"map@{k}", u, Enumerable.Range(0, h).Sum(j => (j + 1.0) / (hitRanks[j] + 1)) / Math.Min(t.Count, k));
            }
        }
        return result;
    }

    private static void AssertMatches(EvaluationResult got, Dictionary<string, Dictionary<int, double>> expected)
    {
        Assert.Equal(expected.Keys.Order(), got.Keys.Order());
        foreach (var key in got.Keys)
        {
            var exp = expected[key];
            Assert.Equal(exp.Keys.Order().ToArray(), got.Users);
            var values = got.PerUser(key);
            for (int i = 0; i < got.Users.Length; i++)
                Assert.True(Math.Abs(values[i] - exp[got.Users[i]]) <= 1e-6, $"{key} user {got.Users[i]}: {values[i]} vs {exp[got.Users[i]]}");
            Assert.Equal(exp.Values.Average(), got.Mean(key), 6);
        }
    }

    [Theory]
    [InlineData(EvalSplit.Test, true)]
    [InlineData(EvalSplit.Test, false)]
    [InlineData(EvalSplit.Valid, true)]
    public void EmbeddingPathMatchesFullSortReference(EvalSplit split, bool withValid)
    {
        int users = 80, items = 150, dim = 8;
        var d = RandomDataset(users, items, seed: 1, withValid);
        var ue = RandomMatrix(users, dim, 2);
        var ie = RandomMatrix(items, dim, 3);
        int[] ks = [1, 5, 20];
        var ev = FullRankingEvaluator.ForDataset(d, new EvaluationOptions { Ks = ks, LegacyNdcg = true, Split = split, BlockSize = 7 });
        using var index = new BruteForceMipsIndex(ie, dim);
        var got = ev.Evaluate(index, ue);
        Assert.True(got.NumUsers > 50 && got.NumUsers < users, $"{got.NumUsers} evaluated users");
        AssertMatches(got, Reference(d, ue, ie, dim, ks, split == EvalSplit.Valid));
    }

    /// <summary>Scores rows by dot products, like the embedding path but through <see cref="IUserScorer"/>.</summary>
    private sealed class DotScorer(float[] ue, float[] ie, int dim) : IUserScorer
    {
        public int NumItems => ie.Length / dim;
        public int Calls { get; private set; }
        public void Score(ReadOnlySpan<int> users, Span<float> scores)
        {
            Calls++;
            for (int r = 0; r < users.Length; r++)
                for (int i = 0; i < NumItems; i++)
                    scores[r * NumItems + i] = System.Numerics.Tensors.TensorPrimitives.Dot(ue.AsSpan(users[r] * dim, dim), ie.AsSpan(i * dim, dim));
        }
    }

    [Fact]
    public void ScorerPathMatchesReferenceInSmallBlocks()
    {
        int users = 60, items = 120, dim = 6;
        var d = RandomDataset(users, items, seed: 5);
        var ue = RandomMatrix(users, dim, 6);
        var ie = RandomMatrix(items, dim, 7);
        int[] ks = [3, 10];
        // 500 floats of score buffer → 4 users per block.
        var ev = FullRankingEvaluator.ForDataset(d, new EvaluationOptions { Ks = ks, LegacyNdcg = true, MaxScoreBlockFloats = 500 });
        var scorer = new DotScorer(ue, ie, dim);
        var got = ev.Evaluate(scorer);
        Assert.Equal((got.NumUsers + 3) / 4, scorer.Calls);
        AssertMatches(got, Reference(d, ue, ie, dim, ks, valid: false));
    }

    [Fact]
    public void HandSolvedTwoUsers()
    {
        // Items (1,0) (0,1) (1,1) (0,0); user 0 = (1,0), user 1 = (0,1); user 2 has no test item.
        // User 0: train {0}, ranking i2(1), i1(0), i3(0) (tie → lower id); test {2,3} → hits [1,0,1].
        // User 1: train {1}, ranking i2(1), i0(0), i3(0); test {0} → hits [0,1,0].
        var d = new Dataset
        {
            Name = "tiny", NumUsers = 3, NumItems = 4,
            Train = new Interactions([0, 1, 2], [0, 1, 2]),
            Test = new Interactions([0, 0, 1], [2, 3, 0]),
        };
        var ev = FullRankingEvaluator.ForDataset(d, new EvaluationOptions { Ks = [1, 2] });
        using var index = new BruteForceMipsIndex([1, 0, 0, 1, 1, 1, 0, 0], 2);
        var progress = new List<EvaluationProgress>();
        var r = ev.Evaluate(index, [1, 0, 0, 1, 5, 5], new SyncProgress(progress));
        Assert.Equal(new[] { 0, 1 }, r.Users);
        Assert.Equal(new EvaluationProgress(2, 2), progress.Last());
        Assert.Equal(0.25, r.Mean("recall@1"), 12);
        Assert.Equal(0.5, r.Mean("ndcg@1"), 12);
        Assert.Equal(0.75, r.Mean("recall@2"), 12);
        Assert.Equal(new[] { 0.5, 1.0 }, r.PerUser("recall@2"));
        Assert.Equal((1 / (1 + 1 / Math.Log2(3)) + 1 / Math.Log2(3)) / 2, r.Mean("ndcg@2"), 12);
        Assert.Equal(0.5, r.Mean("precision@2"), 12);
        Assert.Equal(1.0, r.Mean("hit@2"), 12);
        Assert.Equal(0.75, r.Mean("mrr@2"), 12);
        Assert.Equal(0.5, r.Mean("map@2"), 12);
    }

    [Fact]
    public void ColdAndWarmSlicesScoreOnlyTheirHeldOutItems()
    {
        // The dataset of HandSolvedTwoUsers: items 0..2 occur in training, item 3 does not.
        // User 0 ranks i2, i1, i3 (i0 excluded): cold target {3} is at rank 3; warm target {2} at rank 1.
        // User 1 ranks i2, i0, i3: no cold target (not evaluated in the cold slice); warm target {0} at rank 2.
        var d = new Dataset
        {
            Name = "tiny", NumUsers = 3, NumItems = 4,
            Train = new Interactions([0, 1, 2], [0, 1, 2]),
            Test = new Interactions([0, 0, 1], [2, 3, 0]),
        };
        using var index = new BruteForceMipsIndex([1, 0, 0, 1, 1, 1, 0, 0], 2);
        float[] users = [1, 0, 0, 1, 5, 5];
        var cold = FullRankingEvaluator.ForDataset(d, new EvaluationOptions { Ks = [2, 3], Items = HeldOutItems.Cold }).Evaluate(index, users);
        Assert.Equal(new[] { 0 }, cold.Users);
        Assert.Equal(0.0, cold.Mean("recall@2"), 12);
        Assert.Equal(1.0, cold.Mean("recall@3"), 12);
        var warm = FullRankingEvaluator.ForDataset(d, new EvaluationOptions { Ks = [1, 2], Items = HeldOutItems.Warm }).Evaluate(index, users);
        Assert.Equal(new[] { 0, 1 }, warm.Users);
        Assert.Equal(new[] { 1.0, 0.0 }, warm.PerUser("recall@1"));
        Assert.Equal(1.0, warm.Mean("recall@2"), 12);
    }

    private sealed class SyncProgress(List<EvaluationProgress> sink) : IProgress<EvaluationProgress>
    {
        public void Report(EvaluationProgress value) => sink.Add(value);
    }

    [Fact]
    public void RejectsMismatchedShapes()
    {
        var d = RandomDataset(10, 20, seed: 9);
        var ev = FullRankingEvaluator.ForDataset(d, new EvaluationOptions());
        using var wrongItems = new BruteForceMipsIndex(new float[19 * 2], 2);
        Assert.Throws<ArgumentException>(() => ev.Evaluate(wrongItems, new float[10 * 2]));
        using var index = new BruteForceMipsIndex(new float[20 * 2], 2);
        Assert.Throws<ArgumentException>(() => ev.Evaluate(index, new float[9 * 2]));
        Assert.Throws<ArgumentException>(() => FullRankingEvaluator.ForDataset(RandomDataset(5, 5, 1, withValid: false), new EvaluationOptions { Split = EvalSplit.Valid }));
        Assert.Throws<ArgumentOutOfRangeException>(() => FullRankingEvaluator.ForDataset(d, new EvaluationOptions { Ks = [0] }));
    }
}
