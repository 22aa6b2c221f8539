using System.Text.Json.Nodes;
using Recsys.Data;
using Recsys.Data.Synthetic;
using Recsys.Eval.Bench;
using Recsys.Tests.Infrastructure;

namespace Recsys.Tests.Eval;

/// <summary><c>recsys bench recommend</c>: the pipeline it times is the run's, and recall against exact MIPS is measured, not assumed.</summary>
public class BenchRecommendTests
{
    private static (string Folder, string Dir) Data()
    {
        var dir = TestPaths.NewTempDir();
        var folder = Path.Combine(dir, "data");
        DatasetFolder.Write(SyntheticGenerator.Generate(new SyntheticOptions { Users = 40, Items = 30, Communities = 3, Seed = 4 }), folder);
        return (folder, dir);
    }

    [Fact]
    public void TimesGRanksGenerateAndRankPipelineAtEachBatchSize()
    {
        var (folder, dir) = Data();
        var run = Path.Combine(dir, "grank");
        var (code, _, err) = CliHarness.Run("train", "--data", folder, "--model", "grank", "--dim", "8", "--history-length", "6",
            "--ranker-length", "5", "--candidates", "3", "--ranker-negatives", "4", "--epochs", "1", "--eval-every", "0", "--device", "cpu", "--out", run);
        Assert.True(code == 0, err);
        var (rc, stdout, stderr) = CliHarness.Run("bench", "recommend", "--run", run, "--data", folder, "--users", "25", "--batch", "1,8", "--k", "5", "--json");
        Assert.True(rc == 0, stderr);
        var json = JsonNode.Parse(stdout)!;
        Assert.Equal("encode history → MIPS → ranker", (string)json["pipeline"]!);
        Assert.Equal(3, (int)json["candidates"]!);   // 30 items ≥ 10 × 3: N binds
        var rows = json["rows"]!.AsArray();
        Assert.Equal([25, 4], rows.Select(r => (int)r!["calls"]!));
        Assert.All(rows, r => Assert.True((double)r!["p99Ms"]! >= (double)r["p50Ms"]! && (double)r["usersPerSecond"]! > 0));
        Assert.Null(json["recallVsExact"]);
    }

    [Fact]
    public void AnApproximateIndexReportsItsRecallAgainstExact()
    {
        var (folder, dir) = Data();
        var run = Path.Combine(dir, "mf");
        var (code, _, err) = CliHarness.Run("train", "--data", folder, "--model", "mf", "--dim", "8", "--epochs", "2", "--eval-every", "0", "--device", "cpu", "--out", run);
        Assert.True(code == 0, err);
        // efSearch 64 ≥ 30 items: the graph walk sees every item, so the answer is exact and recall is 1.
        var (rc, stdout, stderr) = CliHarness.Run("bench", "recommend", "--run", run, "--data", folder, "--users", "40", "--batch", "1", "--k", "5",
            "--backend", "hnsw", "--ef-search", "64", "--json");
        Assert.True(rc == 0, stderr);
        var json = JsonNode.Parse(stdout)!;
        Assert.Equal("user rows → MIPS", (string)json["pipeline"]!);
        Assert.Equal(1.0, (double)json["recallVsExact"]!, 6);
        // efSearch 1 with a sparse graph misses items: recall is measured below 1.
        (rc, stdout, stderr) = CliHarness.Run("bench", "recommend", "--run", run, "--data", folder, "--users", "40", "--batch", "1", "--k", "5",
            "--backend", "hnsw", "--ef-search", "1", "--hnsw-m", "2", "--json");
        Assert.True(rc == 0, stderr);
        Assert.True((double)JsonNode.Parse(stdout)!["recallVsExact"]! < 1.0);
    }

    [Fact]
    public void QuantileIsTheNearestRank()
    {
        var v = Enumerable.Range(1, 100).Select(i => (double)i).ToList();
        Assert.Equal(50, RecommendBenchmark.Quantile(v, 0.5));
        Assert.Equal(99, RecommendBenchmark.Quantile(v, 0.99));
        Assert.Equal(7, RecommendBenchmark.Quantile([7], 0.99));
    }

    [Fact]
    public void BadBatchSizeNamesTheOption()
    {
        var (folder, dir) = Data();
        var (rc, _, stderr) = CliHarness.Run("bench", "recommend", "--run", Path.Combine(dir, "none"), "--data", folder, "--batch", "1,x");
        Assert.NotEqual(0, rc);
        Assert.Contains("--batch", stderr);
    }

    [Fact]
    public void ANegativeWarmupNamesTheOption()
    {
        var (folder, dir) = Data();
        var (rc, _, stderr) = CliHarness.Run("bench", "recommend", "--run", Path.Combine(dir, "none"), "--data", folder, "--warmup", "-1");
        Assert.Equal(Recsys.Cli.CliRunner.BadInput, rc);
        Assert.Contains("--warmup", stderr);
    }
}
