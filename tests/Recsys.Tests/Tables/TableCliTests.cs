using System.Text.Json.Nodes;
using Recsys.Cli;
using Recsys.Data;
using Recsys.Eval;
using Recsys.Embeddings.FastRp;
using Recsys.Tests.Infrastructure;

namespace Recsys.Tests.Tables;

public class TableCliTests
{
    private static (int Code, string Out, string Err) Run(params string[] args) => CliHarness.Run(args);

    /// <summary>Two blocks of 4 users × 4 items; user u trains on its block's items except item u mod 4, which is its test item.</summary>
    internal static string LeaveOneOutBlocks(string dir)
    {
        var tu = new List<int>(); var ti = new List<int>(); var su = new List<int>(); var si = new List<int>();
        for (int u = 0; u < 8; u++)
            for (int k = 0; k < 4; k++)
            {
                int item = u / 4 * 4 + k;
                if (k == u % 4) { su.Add(u); si.Add(item); } else { tu.Add(u); ti.Add(item); }
            }
        var path = Path.Combine(dir, "data");
        DatasetFolder.Write(new Dataset
        {
            Name = "blocks", NumUsers = 8, NumItems = 8,
            Train = new Interactions(tu.ToArray(), ti.ToArray()), Test = new Interactions(su.ToArray(), si.ToArray()),
        }, path);
        return path;
    }

    [Fact]
    public void TrainWithHashedTablesRecordsTheirSpecs()
    {
        var dir = TestPaths.NewTempDir();
        var data = LeaveOneOutBlocks(dir);
        var run = Path.Combine(dir, "run");
        var r = Run("train", "--data", data, "--model", "mf", "--dim", "4", "--epochs", "1", "--eval-every", "0", "--batch", "8",
            "--user-table", "graphhash", "--resolution", "1", "--item-table", "random", "--out", run, "--json");
        Assert.True(r.Code == 0, r.Err + r.Out);
        var model = JsonNode.Parse(File.ReadAllText(Path.Combine(run, "run.json")))!["model"]!;
        Assert.Equal("graphhash", model["userTable"]!["kind"]!.GetValue<string>());
        Assert.Equal("random", model["itemTable"]!["kind"]!.GetValue<string>());
        Assert.Equal(2, model["itemTable"]!["rows"]!.GetValue<int>()); // GraphHash's item row count at resolution 1

        var resumed = Run("train", "--resume", run, "--data", data, "--epochs", "2", "--json");
        Assert.True(resumed.Code == 0, resumed.Err + resumed.Out);
    }

    [Fact]
    public void RejectsUnknownTableKind()
    {
        var dir = TestPaths.NewTempDir();
        var r = Run("train", "--data", LeaveOneOutBlocks(dir), "--model", "mf", "--user-table", "bloom", "--out", Path.Combine(dir, "run"));
        Assert.NotEqual(0, r.Code);
    }

    [Fact]
    public void FastRpRecommendsTheUsersOwnBlock()
    {
        var dir = TestPaths.NewTempDir();
        var request = new EvalRequest
        {
            DataFolder = LeaveOneOutBlocks(dir), Model = BaselineModel.FastRp,
            FastRp = new FastRpOptions { Dim = 64, Weights = [1f, 1f, 1f], Beta = 0, Seed = 3 },
            Options = new EvaluationOptions { Ks = [1] },
        };
        var result = EvalPipeline.Run(request);
        Assert.Equal(1.0, result.Mean("recall@1"), 9);

        var cli = Run("eval", "--data", request.DataFolder, "--model", "fastrp", "--dim", "64", "--weights", "1,1,1", "--beta", "0", "--seed", "3", "--k", "1", "--json");
        Assert.True(cli.Code == 0, cli.Err);
        Assert.Equal(1.0, JsonNode.Parse(cli.Out)!["recall@1"]!.GetValue<double>(), 9);
    }
}
