using System.Text.Json.Nodes;
using Recsys.Data;
using Recsys.Data.Synthetic;
using Recsys.Retrieval.Ranking;
using Recsys.Retrieval.Recommenders;
using Recsys.Tests.Infrastructure;

namespace Recsys.Tests.Retrieval;

/// <summary><c>recsys rank fit</c> writes the ranker next to a run, and loading the run attaches it as the second stage.</summary>
public class LambdaRankCliTests
{
    [Fact]
    public void RankFitWritesTheRankerAndTheRunLoadsWithIt()
    {
        var dir = TestPaths.NewTempDir();
        var data = SyntheticGenerator.Generate(new SyntheticOptions { Users = 60, Items = 40, Seed = 5 });
        var folder = Path.Combine(dir, "data");
        DatasetFolder.Write(data, folder);
        var run = Path.Combine(dir, "run");
        Assert.Equal(0, CliHarness.Run("train", "--data", folder, "--model", "mf", "--dim", "8", "--epochs", "2", "--eval-every", "0", "--device", "cpu", "--out", run).Code);
        using (var plain = RunFolderRecommender.Load(run, DatasetFolder.Read(folder), Tc.Catalog)) Assert.Null(plain.Snapshot.Ranker);

        var (code, output, err) = CliHarness.Run("rank", "fit", "--data", folder, "--run", run, "--candidates", "40", "--iterations", "5", "--leaves", "4", "--json");
        Assert.True(code == 0, err);
        var info = JsonNode.Parse(output)!;
        Assert.Equal(40, (int)info["candidates"]!);
        Assert.Equal("validation", (string)info["source"]!);   // the default: the validation split's candidates
        Assert.True((int)info["groups"]! > 1);
        Assert.True(LightGbmRanker.ExistsIn(run));

        using var ranked = RunFolderRecommender.Load(run, DatasetFolder.Read(folder), Tc.Catalog);
        var ranker = Assert.IsType<LightGbmRanker>(ranked.Snapshot.Ranker);
        Assert.Equal(40, ranker.Candidates);
        var r = ranked.Recommend(new RecommendRequest { User = 3, K = 5 });
        Assert.Equal(5, r.Items.Length);
        // The answer is the ranker's order over the first stage's 40 candidates (ties to the lower id).
        using var first = new FittedRecommender(ranked.Snapshot with { Ranker = null }, ranked.Index, ranked.Data, ownsIndex: false);
        var candidates = first.Recommend(new RecommendRequest { User = 3, K = 40 }).Items;
        var s = ranker.Score(3, ranked.Data.History!(3), candidates);
        var want = Enumerable.Range(0, candidates.Length).OrderByDescending(j => s[j]).ThenBy(j => candidates[j]).Take(5).ToArray();
        Assert.Equal(want.Select(j => candidates[j]).ToArray(), r.Items);
        Assert.Equal(want.Select(j => s[j]).ToArray(), r.Scores);

        // The batch path (evaluation) ranks through ScoreBatch: the same lists as one request per user.
        int[] users = [3, 0, 17, 59];
        var batch = ranked.Search(users, 5);
        for (int q = 0; q < users.Length; q++)
            Assert.Equal(ranked.Recommend(new RecommendRequest { User = users[q], K = 5 }).Items, batch.IdsOf(q).ToArray());
    }

    [Fact]
    public void ValidationExamplesWithoutAValidationSplitNameTheFlag()
    {
        var dir = TestPaths.NewTempDir();
        var data = SyntheticGenerator.Generate(new SyntheticOptions { Users = 60, Items = 40, Seed = 5, ValidRatio = 0 });
        var folder = Path.Combine(dir, "data");
        DatasetFolder.Write(data, folder);
        var run = Path.Combine(dir, "run");
        Assert.Equal(0, CliHarness.Run("train", "--data", folder, "--model", "mf", "--dim", "8", "--epochs", "2", "--eval-every", "0", "--device", "cpu", "--out", run).Code);

        var (code, _, err) = CliHarness.Run("rank", "fit", "--data", folder, "--run", run, "--candidates", "40", "--iterations", "5", "--leaves", "4");
        Assert.Equal(2, code);
        Assert.Contains("--examples", err);
        Assert.Contains("no validation split", err);
        Assert.Contains("--examples train", err);
        Assert.False(LightGbmRanker.ExistsIn(run));

        var (ok, output, err2) = CliHarness.Run("rank", "fit", "--data", folder, "--run", run, "--examples", "train", "--candidates", "40", "--iterations", "5", "--leaves", "4", "--json");
        Assert.True(ok == 0, err2);
        Assert.Equal("heldOutTraining", (string)JsonNode.Parse(output)!["source"]!);
        Assert.Equal(2, CliHarness.Run("rank", "fit", "--data", folder, "--run", run, "--examples", "test").Code);
    }
}
