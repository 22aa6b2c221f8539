using System.Text.Json.Nodes;
using Recsys.Cli;
using Recsys.Data;
using Recsys.Tests.Infrastructure;

namespace Recsys.Tests.Cli;

/// <summary>compare pairs only results of the same data and split; eval says so when an item slice is empty; library errors name flags.</summary>
public class CompareAndColdItemsTests
{
    private static (int Code, string Out, string Err) Run(params string[] args) => CliHarness.Run(args);

    private static string Data(string dir, string name, string folder = "data", int[]? testItems = null)
    {
        var path = Path.Combine(dir, folder);
        DatasetFolder.Write(new Dataset
        {
            Name = name, NumUsers = 3, NumItems = 4,
            Train = new Interactions([0, 1, 2, 2], [0, 1, 2, 3]),
            Test = new Interactions([0, 0, 1], testItems ?? [2, 3, 0]),
        }, path);
        return path;
    }

    private static void AssertOneLineExit2((int Code, string Out, string Err) r, string mentions)
    {
        Assert.True(r.Code == CliRunner.BadInput, r.Err);
        Assert.Single(r.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(mentions, r.Err);
    }

    [Fact]
    public void MetricsJsonRecordsTheDataFingerprint()
    {
        var dir = TestPaths.NewTempDir();
        var data = Data(dir, "tiny");
        Assert.Equal(0, Run("eval", "--data", data, "--model", "pop", "--k", "2", "--out", Path.Combine(dir, "a")).Code);
        var fp = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "a", "metrics.json")))!["data"]!;
        Assert.Equal("tiny", fp["dataset"]!.GetValue<string>());
        Assert.Equal("test", fp["heldOut"]!.GetValue<string>());
        Assert.Equal("all", fp["items"]!.GetValue<string>());
        Assert.Equal(64, fp["sha256"]!.GetValue<string>().Length);
    }

    [Fact]
    public void CompareRefusesDifferentDatasetsAndSplits()
    {
        var dir = TestPaths.NewTempDir();
        var d1 = Data(dir, "tiny");
        var d2 = Data(dir, "other", "data2");
        var d3 = Data(dir, "tiny", "data3", testItems: [3, 2, 1]);
        string Eval(string data, string outName)
        {
            var o = Path.Combine(dir, outName);
            var r = Run("eval", "--data", data, "--model", "pop", "--k", "2", "--out", o);
            Assert.True(r.Code == 0, r.Err);
            return o;
        }
        var a = Eval(d1, "a");
        var b = Eval(d2, "b");
        var c = Eval(d3, "c");
        var same = Eval(d1, "same");
        AssertOneLineExit2(Run("compare", a, b), "different data (dataset 'tiny' vs 'other')");
        AssertOneLineExit2(Run("compare", a, c), "different interactions or splits");
        Assert.Equal(0, Run("compare", a, same).Code);
    }

    [Fact]
    public void CompareSaysWhenNoMetricIsShared()
    {
        var dir = TestPaths.NewTempDir();
        var data = Data(dir, "tiny");
        var a = Path.Combine(dir, "a");
        var b = Path.Combine(dir, "b");
        Assert.Equal(0, Run("eval", "--data", data, "--model", "pop", "--k", "1", "--out", a).Code);
        Assert.Equal(0, Run("eval", "--data", data, "--model", "pop", "--k", "2", "--out", b).Code);
        AssertOneLineExit2(Run("compare", a, b), "share no metric");
    }

    [Fact]
    public void CompareRefusesAResultWithoutFingerprint()
    {
        var dir = TestPaths.NewTempDir();
        var data = Data(dir, "tiny");
        var a = Path.Combine(dir, "a");
        Assert.Equal(0, Run("eval", "--data", data, "--model", "pop", "--k", "2", "--out", a).Code);
        var metrics = Path.Combine(a, "metrics.json");
        var json = JsonNode.Parse(File.ReadAllText(metrics))!.AsObject();
        json.Remove("data");
        File.WriteAllText(metrics, json.ToJsonString());
        AssertOneLineExit2(Run("compare", a, a), "no data fingerprint");
    }

    [Fact]
    public void ColdItemsWithNoColdItemIsAnExplicitError()
    {
        var dir = TestPaths.NewTempDir();
        var data = Data(dir, "tiny");   // every test item occurs in train
        AssertOneLineExit2(Run("eval", "--data", data, "--model", "pop", "--items", "cold"), "--items: no cold items");
        Assert.Equal(0, Run("eval", "--data", data, "--model", "pop", "--items", "warm").Code);
    }

    [Fact]
    public void LibraryParameterNamesBecomeFlags()
    {
        var dir = TestPaths.NewTempDir();
        var data = Data(dir, "tiny");
        AssertOneLineExit2(Run("eval", "--data", data, "--model", "pop", "--block-size", "0"), "--block-size: ");
        AssertOneLineExit2(Run("eval", "--data", data, "--model", "pop", "--threads", "-1"), "--threads: ");
        var eval = CliApp.Build().Subcommands.Single(c => c.Name == "eval");
        Assert.Equal("--k: K must be ≥ 1, got 0.", CliRunner.Describe(new ArgumentOutOfRangeException("Ks", "K must be ≥ 1, got 0."), eval));
        Assert.Equal("--overfetch", ParameterFlags.FlagFor(eval, "OverFetch"));
        Assert.Null(ParameterFlags.FlagFor(eval, "NoSuchThing"));
        var import = CliApp.Build().Subcommands.Single(c => c.Name == "data").Subcommands.Single(c => c.Name == "import");
        Assert.Equal("--train", ParameterFlags.FlagFor(import, "TrainFile"));
    }
}
