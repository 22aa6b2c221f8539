using System.Text.Json.Nodes;
using Recsys.Tests.Infrastructure;
using Recsys.Cli;
using Recsys.Data;
using Recsys.Data.SemanticIds;
using Recsys.Data.Synthetic;
using Recsys.IO;

namespace Recsys.Tests.Embeddings.SemanticIds;

/// <summary>recsys features → recsys index semantic-ids → recsys index info on synthetic sequences, and their bad-input errors.</summary>
public class SemanticIdCliTests
{
    private static (int Code, string Out, string Err) Run(params string[] args) => CliHarness.Run(args);

    private static string Data(string dir)
    {
        var path = Path.Combine(dir, "data");
        DatasetFolder.Write(SequenceGenerator.Generate(new SequenceOptions { Users = 150, Items = 80, Brands = 4, Categories = 3, Seed = 3 }), path);
        return path;
    }

    private static void AssertBadInput((int Code, string Out, string Err) r, string mentions)
    {
        Assert.True(r.Code == CliRunner.BadInput, $"exit {r.Code}: {r.Err}");
        Assert.Single(r.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(mentions, r.Err);
    }

    [Fact]
    public void FeaturesThenIndexThenInfo()
    {
        var dir = TestPaths.NewTempDir();
        var data = Data(dir);
        var withFeatures = Path.Combine(dir, "with-features");
        var f = Run("features", "--data", data, "--from", "attributes,cooccurrence", "--dim", "8", "--attribute-dim", "8", "--out", withFeatures, "--json");
        Assert.True(f.Code == 0, f.Err);
        Assert.Equal(16, JsonNode.Parse(f.Out)!["dim"]!.GetValue<int>());
        Assert.Equal(16, DatasetFolder.Read(withFeatures).ItemFeatures!.Dim);
        Assert.Null(DatasetFolder.Read(data).ItemFeatures);   // the input folder is untouched

        var codes = Path.Combine(dir, "codes.arrow");
        var r = Run("index", "semantic-ids", "--data", withFeatures, "--method", "rqkmeans", "--levels", "2", "--codes", "8", "--out", codes, "--quiet", "--json");
        Assert.True(r.Code == 0, r.Err);
        var json = JsonNode.Parse(r.Out)!;
        Assert.Equal("rqkmeans", json["record"]!["method"]!.GetValue<string>());
        Assert.True(File.Exists(Path.Combine(dir, "codes.index.json")));
        Assert.Equal(80, SemanticIdCodes.Read(codes, 80).NumItems);

        var info = Run("index", "info", codes, "--data", withFeatures, "--json");
        Assert.True(info.Code == 0, info.Err);
        var o = JsonNode.Parse(info.Out)!;
        Assert.Equal(80, o["items"]!.GetValue<int>());
        Assert.Equal(2, o["perLevel"]!.AsArray().Count);
        Assert.InRange(o["topCategoryNmi"]!.GetValue<double>(), 0, 1);
        Assert.NotNull(o["reconstructionError"]);
        Assert.Contains("unique on 2 codes", Run("index", "info", codes).Out);
    }

    [Fact]
    public void RqVaeWritesALossPlotAndAFeaturesFileCanBeGiven()
    {
        var dir = TestPaths.NewTempDir();
        var data = Data(dir);
        var file = Path.Combine(dir, "f.arrow");
        Assert.Equal(0, Run("features", "--data", data, "--from", "cooccurrence", "--dim", "8", "--out", file).Code);
        var codes = Path.Combine(dir, "rq.arrow");
        var r = Run("index", "semantic-ids", "--data", data, "--features", file, "--method", "rqvae", "--codes", "4", "--levels", "2",
            "--epochs", "2", "--batch", "32", "--latent", "4", "--out", codes, "--quiet");
        Assert.True(r.Code == 0, r.Err);
        Assert.True(File.Exists(Path.Combine(dir, "rq.loss.png")));
        Assert.Contains("reconstruction error", r.Out);
    }

    [Fact]
    public void RqVaeLastLevelFlagsAreParsedAndBadValuesNamed()
    {
        var dir = TestPaths.NewTempDir();
        var data = Data(dir);
        var file = Path.Combine(dir, "f.arrow");
        Assert.Equal(0, Run("features", "--data", data, "--from", "cooccurrence", "--dim", "8", "--out", file).Code);
        string[] common = ["index", "semantic-ids", "--data", data, "--features", file, "--method", "rqvae", "--codes", "4", "--levels", "2",
                           "--epochs", "1", "--batch", "32", "--latent", "4", "--quiet"];
        var a = Run([.. common, "--last-level", "nearest", "--out", Path.Combine(dir, "a.arrow")]);
        Assert.True(a.Code == 0, a.Err);
        var b = Run([.. common, "--last-level", "balanced", "--sinkhorn-epsilon", "0.05", "--out", Path.Combine(dir, "b.arrow")]);
        Assert.True(b.Code == 0, b.Err);
        AssertBadInput(Run([.. common, "--last-level", "sideways", "--out", Path.Combine(dir, "c.arrow")]), "--last-level");
        AssertBadInput(Run([.. common, "--sinkhorn-epsilon", "0", "--out", Path.Combine(dir, "d.arrow")]), "--sinkhorn-epsilon");
        AssertBadInput(Run("index", "semantic-ids", "--data", data, "--method", "random", "--last-level", "nearest", "--out", Path.Combine(dir, "e.arrow")), "--last-level");
    }

    [Fact]
    public void BadInputGetsOneClearLine()
    {
        var dir = TestPaths.NewTempDir();
        var data = Data(dir);
        var codes = Path.Combine(dir, "c.arrow");
        AssertBadInput(Run("index", "semantic-ids", "--data", data, "--method", "random", "--codes", "81", "--out", codes), "--codes");
        AssertBadInput(Run("index", "semantic-ids", "--data", data, "--method", "rqkmeans", "--codes", "4", "--out", codes), "recsys features");
        AssertBadInput(Run("index", "semantic-ids", "--data", data, "--method", "nope", "--out", codes), "rqvae");
        AssertBadInput(Run("index", "semantic-ids", "--data", data, "--method", "random", "--epochs", "3", "--out", codes), "--epochs");
        AssertBadInput(Run("features", "--data", data, "--from", "kg", "--out", Path.Combine(dir, "x.arrow")), "knowledge graph");
        AssertBadInput(Run("features", "--data", data, "--from", "attributes", "--out", data, "--force"), "--out");

        // A features file with a NaN names the file, row and column.
        var nan = Path.Combine(dir, "nan.arrow");
        var values = new float[80 * 2];
        values[2 * 5 + 1] = float.NaN;
        ArrowWriter.Write(nan, ("item", ArrowWriter.Int32Column(Enumerable.Range(0, 80).ToArray())), ("features", ArrowWriter.FloatVectorColumn(values, 2)));
        AssertBadInput(Run("index", "semantic-ids", "--data", data, "--features", nan, "--method", "rqkmeans", "--codes", "4", "--out", codes), "item 5");

        // A codes file made for another catalog.
        Assert.Equal(0, Run("index", "semantic-ids", "--data", data, "--method", "random", "--codes", "4", "--out", codes, "--quiet").Code);
        var other = Path.Combine(dir, "other");
        DatasetFolder.Write(SequenceGenerator.Generate(new SequenceOptions { Users = 50, Items = 30, Brands = 2, Categories = 2, Seed = 1 }), other);
        AssertBadInput(Run("index", "info", codes, "--data", other), "another catalog");
        // An existing output needs --force.
        AssertBadInput(Run("index", "semantic-ids", "--data", data, "--method", "random", "--codes", "4", "--out", codes), "--force");
    }
}
