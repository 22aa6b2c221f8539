using System.Text.Json.Nodes;
using Recsys.Data;
using Recsys.Data.Synthetic;
using Recsys.Devices;
using Recsys.Models;
using Recsys.Retrieval.Recommenders;
using Recsys.Tables;
using Recsys.Tables.SemanticId;
using Recsys.Tests.Infrastructure;
using Recsys.Training;

namespace Recsys.Tests.Tables.SemanticId;

/// <summary>
/// Graph models train with every semantic-ID item table, resume bit-exactly, record the table's size, load back from their
/// run folder, and — through the CLI — place items that have no training interaction.
/// </summary>
public class SemanticIdTrainingTests
{
    private static readonly Lazy<Dataset> Data = new(() => SyntheticGenerator.Generate(new SyntheticOptions { Users = 50, Items = 40, Seed = 9 }));
    private static readonly Lazy<string> Codes = new(() => SidCodes.Grid(40));

    private static readonly TrainerOptions Options = new() { Epochs = 3, BatchSize = 128, LearningRate = 0.01, EvalEvery = 0, Seed = 12, Device = DeviceChoice.Cpu };

    public static TheoryData<string, string> Cases() => new()
    {
        { "lightgcn", "unigram" }, { "lightgcn", "ngram" }, { "lightgcn", "pieces" }, { "lightgcn", "hybrid" }, { "mf", "hashed-hybrid" }, { "ngcf", "pieces" },
    };

    private static EmbeddingTableSpec Table(string kind)
    {
        var path = Codes.Value;
        var sha = SemanticIdTableSpec.Sha256Of(path);
        return kind switch
        {
            "unigram" => new UnigramTableSpec(path, sha),
            "ngram" => new PrefixNgramTableSpec(path, sha, Rows: 9),
            "pieces" => new PieceTableSpec(path, sha, Rows: 12),
            "hybrid" => new HybridTableSpec(new PrefixNgramTableSpec(path, sha)),
            _ => new HybridTableSpec(new UnigramTableSpec(path, sha), IdRows: 16),
        };
    }

    [Theory, MemberData(nameof(Cases))]
    public void TrainsResumesBitExactlyAndLoadsBack(string model, string table)
    {
        var inputs = ModelInputs.From(Data.Value);
        var options = Tc.Model(model) switch
        {
            LightGcnOptions l => l with { Dim = 8, Layers = 2 },
            NgcfOptions n => n with { Dim = 8, LayerDims = [8, 8] },
            var o => o with { Dim = 8 },
        } with { ItemTable = Table(table) };

        var straight = Tc.Trainer().Train(inputs, options, Options, TestPaths.NewTempDir());
        Assert.All(straight.Record.Epochs, e => Assert.True(double.IsFinite(e.Loss)));
        var dir = TestPaths.NewTempDir();
        Tc.Trainer().Train(inputs, options, Options with { Epochs = 2 }, dir);
        var resumed = Tc.Trainer().Resume(inputs, dir, epochs: 3);
        Assert.Equal(straight.Record.Epochs.Select(e => e.Loss), resumed.Record.Epochs.Select(e => e.Loss));
        Assert.Equal(straight.Embeddings!.Items, resumed.Embeddings!.Items);
        Assert.Equal(straight.Embeddings.Users, resumed.Embeddings.Users);

        // The recorded item table is the semantic-ID table's size, not the catalog's.
        using (var fresh = options.Create(inputs, 1))
        {
            Assert.Equal(fresh.Tables.ItemParameters, resumed.Record.Tables!.ItemParameters);
            Assert.Equal((long)fresh.Tables.ItemRows * 8, fresh.Tables.ItemParameters);
        }
        using var loaded = RunFolderRecommender.Load(dir, Data.Value, Tc.Catalog);
        Assert.Equal(resumed.Embeddings.Items, loaded.Snapshot.Embeddings.Items);
    }

    [Fact]
    public void TheCliTrainsWithASemanticIdTableAndItsColdItemsGetTrainedVectors()
    {
        // A cold split of the synthetic data: a quarter of the items never trained, their test interactions kept.
        var dir = TestPaths.NewTempDir();
        var data = Path.Combine(dir, "data");
        DatasetFolder.Write(Data.Value, data);
        var cold = Path.Combine(dir, "cold");
        var r = CliHarness.Run("data", "split", data, "--cold-items", "0.25", "--seed", "5", "--out", cold);
        Assert.True(r.Code == 0, r.Err);

        var run = Path.Combine(dir, "run");
        r = CliHarness.Run("train", "--data", cold, "--model", "mf", "--dim", "8", "--epochs", "2", "--eval-every", "0", "--batch", "64",
            "--item-table", "sid:pieces", "--codes", Codes.Value, "--sid-rows", "12", "--out", run, "--json");
        Assert.True(r.Code == 0, r.Err + r.Out);
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(run, "run.json")))!;
        var spec = json["model"]!["itemTable"]!;
        Assert.Equal("sid:pieces", spec["kind"]!.GetValue<string>());
        Assert.Equal(Path.GetFullPath(Codes.Value), spec["codes"]!.GetValue<string>());
        Assert.Equal(12, spec["rows"]!.GetValue<int>());
        Assert.InRange(json["tables"]!["itemRows"]!.GetValue<int>(), 7, 12);

        // The cold items exist: no training interaction, some test ones.
        var split = DatasetFolder.Read(cold);
        var degrees = split.TrainMatrix().ItemDegrees();
        Assert.Contains(split.Test.Items, i => degrees[i] == 0);

        r = CliHarness.Run("train", "--resume", run, "--data", cold, "--epochs", "3", "--json");
        Assert.True(r.Code == 0, r.Err + r.Out);
        r = CliHarness.Run("eval", "--data", cold, "--run", run, "--items", "cold", "--k", "5", "--json");
        Assert.True(r.Code == 0, r.Err);
        Assert.Contains("recall@5", r.Out);
        r = CliHarness.Run("eval", "--data", cold, "--run", run, "--items", "longtail", "--k", "5", "--json");
        Assert.True(r.Code == 0, r.Err);
    }

    [Fact]
    public void TheCliNamesTheCodesFlagAndAFileForAnotherCatalog()
    {
        var dir = TestPaths.NewTempDir();
        var data = Path.Combine(dir, "data");
        DatasetFolder.Write(Data.Value, data);
        var r = CliHarness.Run("train", "--data", data, "--model", "mf", "--item-table", "sid:unigram", "--out", Path.Combine(dir, "a"));
        Assert.NotEqual(0, r.Code);
        Assert.Contains("--codes", r.Err);

        var other = SidCodes.Grid(41);
        r = CliHarness.Run("train", "--data", data, "--model", "mf", "--item-table", "sid:unigram", "--codes", other, "--out", Path.Combine(dir, "b"));
        Assert.NotEqual(0, r.Code);
        Assert.Contains(other, r.Err);
        Assert.Contains("41 items", r.Err);

        r = CliHarness.Run("train", "--data", data, "--model", "mf", "--user-table", "sid:unigram", "--codes", Codes.Value, "--out", Path.Combine(dir, "c"));
        Assert.NotEqual(0, r.Code);
        Assert.Contains("serve items", r.Err);
    }
}
