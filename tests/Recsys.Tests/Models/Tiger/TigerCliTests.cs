using System.Text.Json.Nodes;
using Recsys.Data;
using Recsys.Data.Synthetic;
using Recsys.Tests.Infrastructure;

namespace Recsys.Tests.Models.Tiger;

public class TigerCliTests
{
    private static readonly string[] Small = ["--dim", "16", "--encoder-layers", "1", "--decoder-layers", "1", "--attention-heads", "2", "--head-dim", "8", "--feed-forward", "32", "--beam", "10"];

    [Fact]
    public void TrainEvalRecommendAndResumeWorkThroughTheCli()
    {
        var dir = TestPaths.NewTempDir();
        var data = Path.Combine(dir, "data");
        var d = SyntheticGenerator.Generate(new SyntheticOptions { Users = 60, Items = 40, Seed = 9 });
        DatasetFolder.Write(d, data);
        var codes = TigerTestData.Write(TigerTestData.Codes(40));
        var run = Path.Combine(dir, "run");
        var r = CliHarness.Run(["train", "--data", data, "--model", "tiger", "--codes", codes, .. Small, "--epochs", "2", "--eval-every", "1", "--k", "5", "--batch", "64", "--out", run, "--json"]);
        Assert.True(r.Code == 0, r.Err + r.Out);
        var model = JsonNode.Parse(File.ReadAllText(Path.Combine(run, "run.json")))!["model"]!;
        Assert.Equal("tiger", model["kind"]!.GetValue<string>());
        Assert.Equal(Path.GetFullPath(codes), model["codes"]!.GetValue<string>());
        Assert.Equal(Recsys.Tables.SemanticId.SemanticIdTableSpec.Sha256Of(codes), model["codesSha256"]!.GetValue<string>());

        r = CliHarness.Run("eval", "--data", data, "--run", run, "--k", "5,10", "--json");
        Assert.True(r.Code == 0, r.Err);
        var metrics = JsonNode.Parse(r.Out)!;
        Assert.InRange(metrics["recall@10"]!.GetValue<double>(), 0, 1);

        r = CliHarness.Run("recommend", "--data", data, "--run", run, "--user", "3", "--k", "5", "--json");
        Assert.True(r.Code == 0, r.Err);

        // Resuming against a changed codes file is refused, naming the flag.
        TigerTestData.Write(TigerTestData.Codes(40));   // a separate file: the run keeps its own
        new Recsys.Data.SemanticIds.SemanticIdCodes(40, [40, 1], Enumerable.Range(0, 40).SelectMany(i => new[] { i, 0 }).ToArray(), "other").Write(codes);
        r = CliHarness.Run("train", "--resume", run, "--data", data, "--epochs", "3");
        Assert.NotEqual(0, r.Code);
        Assert.Contains("--codes", r.Err);
        Assert.Contains("changed", r.Err);
    }

    [Fact]
    public void AMissingOrMismatchedCodesFileNamesTheFlag()
    {
        var dir = TestPaths.NewTempDir();
        var data = Path.Combine(dir, "data");
        DatasetFolder.Write(SyntheticGenerator.Generate(new SyntheticOptions { Users = 40, Items = 30, Communities = 3, Seed = 4 }), data);
        var r = CliHarness.Run(["train", "--data", data, "--model", "tiger", .. Small, "--epochs", "1", "--out", Path.Combine(dir, "a")]);
        Assert.NotEqual(0, r.Code);
        Assert.Contains("--codes", r.Err);

        var other = TigerTestData.Write(TigerTestData.Codes(31));
        r = CliHarness.Run(["train", "--data", data, "--model", "tiger", "--codes", other, .. Small, "--epochs", "1", "--out", Path.Combine(dir, "b")]);
        Assert.NotEqual(0, r.Code);
        Assert.Contains("--codes", r.Err);
        Assert.Contains("31 items", r.Err);
    }
}
