using Recsys.Data;
using Recsys.Data.Synthetic;
using Recsys.Models;
using Recsys.Retrieval.Mips;
using Recsys.Retrieval.Recommenders;
using Recsys.Tests.Infrastructure;

namespace Recsys.Tests.Retrieval;

/// <summary>A second stage served with another candidate count N hands the ranker exactly the first stage's top N.</summary>
public class CandidateCountRankerTests
{
    /// <summary>Scores a candidate by minus its id (the lowest ids win) and keeps every list it was handed.</summary>
    private sealed class RecordingRanker : ICandidateRanker
    {
        public List<int[]> Lists { get; } = [];
        public int Candidates => 25;
        public float[] Score(int user, ReadOnlySpan<int> history, ReadOnlySpan<int> candidates)
        {
            Lists.Add(candidates.ToArray());
            return candidates.ToArray().Select(c => -(float)c).ToArray();
        }
    }

    private const int Users = 3, Items = 30, Dim = 4;

    private static (FittedRecommender, RecordingRanker, ModelEmbeddings) Build(int n)
    {
        var e = new ModelEmbeddings(MipsTestData.Uniform(Users, Dim, 1), MipsTestData.Uniform(Items, Dim, 2), Dim);
        var inner = new RecordingRanker();
        var snapshot = new ModelSnapshot(e) { Ranker = new CandidateCountRanker(inner, n) };
        return (new FittedRecommender(snapshot, new BruteForceMipsIndex(e.Items, Dim)), inner, e);
    }

    /// <summary>Brute force: the items by descending inner product with user u's row.</summary>
    private static int[] ByScore(ModelEmbeddings e, int u) => Enumerable.Range(0, Items)
        .OrderByDescending(i => Enumerable.Range(0, Dim).Sum(d => (double)e.Users[u * Dim + d] * e.Items[i * Dim + d])).ToArray();

    [Fact]
    public void TheRankerReceivesTheFirstStagesTopNAndReordersThem()
    {
        var (rec, inner, e) = Build(7);
        using var _ = rec;
        var result = rec.Search([0, 1, 2], 3);
        Assert.Equal(Users, inner.Lists.Count);
        for (int u = 0; u < Users; u++)
        {
            var top7 = ByScore(e, u).Take(7).ToArray();
            Assert.Equal(top7.Order(), inner.Lists[u].Order());
            Assert.Equal(top7.Order().Take(3), result.IdsOf(u).ToArray());
        }
    }

    [Fact]
    public void AnNBelowKStillHandsTheRankerKCandidates()
    {
        var (rec, inner, e) = Build(2);
        using var _ = rec;
        rec.Search([1], 5);
        Assert.Equal(ByScore(e, 1).Take(5).Order(), inner.Lists.Single().Order());
    }

    [Fact]
    public void RejectsACountBelowOne() =>
        Assert.Equal("candidates", Assert.Throws<ArgumentOutOfRangeException>(() => new CandidateCountRanker(new RecordingRanker(), 0)).ParamName);

    [Fact]
    public void EvalRefusesACandidateCountWithoutASecondStageNamingTheOption()
    {
        var dir = TestPaths.NewTempDir();
        var folder = Path.Combine(dir, "data");
        DatasetFolder.Write(SyntheticGenerator.Generate(new SyntheticOptions { Users = 60, Items = 40, Seed = 5 }), folder);
        var run = Path.Combine(dir, "run");
        Assert.Equal(0, CliHarness.Run("train", "--data", folder, "--model", "mf", "--dim", "8", "--epochs", "1", "--eval-every", "0", "--device", "cpu", "--out", run).Code);

        var (code, _, err) = CliHarness.Run("eval", "--data", folder, "--run", run, "--candidates", "5");
        Assert.NotEqual(0, code);
        Assert.Contains("--candidates", err);
        Assert.Contains("no second stage", err);
        (code, _, err) = CliHarness.Run("eval", "--data", folder, "--run", run, "--candidates", "5", "--first-stage");
        Assert.NotEqual(0, code);
        Assert.Contains("--candidates", err);
        (code, _, err) = CliHarness.Run("eval", "--data", folder, "--run", run, "--candidates", "0");
        Assert.NotEqual(0, code);
        Assert.Contains("--candidates", err);
    }
}
