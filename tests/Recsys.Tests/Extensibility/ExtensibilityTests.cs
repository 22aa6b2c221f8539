using System.Text.Json.Nodes;
using Recsys.Catalog;
using Recsys.Cli;
using Recsys.Data;
using Recsys.Data.Synthetic;
using Recsys.Embeddings.GraphHash;
using Recsys.Models;
using Recsys.Tables;
using Recsys.Tests.Infrastructure;
using Recsys.Training;

namespace Recsys.Tests.Extensibility;

/// <summary>
/// A model kind and a table kind added from this assembly alone (no file in Core, Eval or cli knows them) train,
/// resume, save, load, evaluate and report through the CLI's own code paths.
/// </summary>
public class ExtensibilityTests
{
    /// <summary>The standard kinds plus the two test-only ones: what a user's composition root would build.</summary>
    public static RecsysCatalog Catalog() => new RecsysCatalog().AddGraphModels().AddSequentialModels().AddFullTable().AddHashedTables()
        .AddModel(ToyOptions.Registration).AddTable(TiedTableSpec.Registration);

    private static (int Code, string Out, string Err) Run(RecsysCatalog catalog, params string[] args) => CliHarness.Run(catalog, args);

    private static string Data()
    {
        var dir = Path.Combine(TestPaths.NewTempDir(), "data");
        DatasetFolder.Write(SyntheticGenerator.Generate(new SyntheticOptions { Users = 60, Items = 40, Seed = 3 }), dir);
        return dir;
    }

    [Fact]
    public void ToyModelWithToyTableTrainsResumesEvaluatesAndReportsThroughTheCli()
    {
        var catalog = Catalog();
        var data = Data();
        var run = Path.Combine(TestPaths.NewTempDir(), "toy");
        var (code, _, err) = Run(catalog, "train", "--data", data, "--model", "toy", "--user-table", "tied", "--tie-group", "3",
            "--toy-users-per-batch", "8", "--dim", "8", "--epochs", "2", "--eval-every", "1", "--device", "cpu", "--json", "--out", run);
        Assert.True(code == 0, err);

        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(run, "run.json")))!;
        Assert.Equal("toy", json["model"]!["model"]!.GetValue<string>());
        Assert.Equal("tied", json["model"]!["userTable"]!["kind"]!.GetValue<string>());
        Assert.Equal(3, json["model"]!["userTable"]!["group"]!.GetValue<int>());
        Assert.Equal(8, json["model"]!["usersPerBatch"]!.GetValue<int>());
        Assert.Equal(20, json["tables"]!["userRows"]!.GetValue<int>());      // 60 users, 3 per row
        Assert.Equal(20L * 8, json["tables"]!["userParameters"]!.GetValue<long>());
        Assert.True(File.Exists(Path.Combine(run, "checkpoint", "optimizer.bias.bin")));   // the second parameter group is checkpointed

        (code, _, err) = Run(catalog, "train", "--resume", run, "--data", data, "--epochs", "3");
        Assert.True(code == 0, err);
        var record = new RunFolder(run).ReadRecord(catalog);
        Assert.Equal(3, record.Epochs.Count);
        Assert.Equal(RunStatus.Completed, record.Status);

        (code, var evalOut, err) = Run(catalog, "eval", "--data", data, "--run", run, "--k", "10", "--json");
        Assert.True(code == 0, err);
        Assert.Contains("recall@10", evalOut);

        (code, _, err) = Run(catalog, "report", run, "--out", Path.Combine(TestPaths.NewTempDir(), "report"));
        Assert.True(code == 0, err);

        // A parameter of the toy kind is refused for another model, naming who takes it.
        (code, _, err) = Run(catalog, "train", "--data", data, "--model", "mf", "--toy-users-per-batch", "4", "--out", run + "2");
        Assert.Equal(CliRunner.BadInput, code);
        Assert.Contains("--toy-users-per-batch", err);
        Assert.Contains("--model toy", err);
        Assert.False(Directory.Exists(run + "2"));
    }

    [Fact]
    public void ARunOfAnUnregisteredKindIsAClearError()
    {
        var catalog = Catalog();
        var data = Data();
        var run = Path.Combine(TestPaths.NewTempDir(), "toy");
        Assert.Equal(0, Run(catalog, "train", "--data", data, "--model", "toy", "--dim", "4", "--epochs", "1", "--eval-every", "0", "--device", "cpu", "--out", run).Code);
        // The standard catalog does not know "toy": reading the run names the file and the cause.
        var (code, _, err) = Run(CliCatalog.Standard(), "train", "--resume", run, "--data", data, "--epochs", "2");
        Assert.Equal(CliRunner.BadInput, code);
        Assert.Contains("run.json", err);
        Assert.Contains("kind", err);
    }

    [Fact]
    public void CatalogRefusesDuplicatesAndKindsAddedAfterUse()
    {
        var c = new RecsysCatalog().AddGraphModels();
        Assert.Throws<ArgumentException>(() => c.AddMf());
        Assert.Throws<ArgumentException>(() => c.AddModel(ModelKind.Create<ToyOptions>("mf", "clash")));
        _ = c.Json;
        Assert.Throws<InvalidOperationException>(() => c.AddModel(ToyOptions.Registration));
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => c.Model("nope"));
        Assert.Contains("mf, lightgcn, ngcf, kgat", e.Message);
    }

    [Fact]
    public void TiedTableMeetsTheTableContract()
    {
        var ctx = Tc.Context(Training.TinyData.Communities().Train, TableSide.Items, 4, 1);
        using var t = new TiedTableSpec(4).Create(ctx);
        Assert.Equal(8, t.Rows);                      // 30 items, 4 per row
        Assert.Equal(8L * 4, t.Parameters);
        using var all = t.All();
        Assert.Equal(all[0].data<float>().ToArray(), all[3].data<float>().ToArray());
        Assert.NotEqual(all[0].data<float>().ToArray(), all[4].data<float>().ToArray());
    }
}
