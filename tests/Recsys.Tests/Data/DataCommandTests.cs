using System.Text.Json;
using Recsys.Cli;
using Recsys.Data;
using Recsys.Tests.Infrastructure;

namespace Recsys.Tests.Data;

/// <summary>Runs <c>recsys data ...</c> in-process through <see cref="CliRunner"/>.</summary>
public class DataCommandTests
{
    private readonly string _dir = TestPaths.NewTempDir();

    internal static (int Code, string Out, string Err) Cli(params string[] args)
    {
        var o = new StringWriter(); var e = new StringWriter();
        int code = CliRunner.Run(CliApp.Build(), args, o, e);
        return (code, o.ToString(), e.ToString());
    }

    private (string Train, string Test) ToyLists() =>
        (DataFiles.Write(_dir, "toy/train.txt", "0 0 1 2\n1 2 3\n2 0\n"), DataFiles.Write(_dir, "toy/test.txt", "0 3\n1 0\n"));

    [Fact]
    public void ImportThenInfoJsonReportsCounts()
    {
        var (train, test) = ToyLists();
        var outDir = Path.Combine(_dir, "out");
        var imp = Cli("data", "import", "--format", "lightgcn", "--train", train, "--test", test, "--out", outDir);
        Assert.True(imp.Code == 0, imp.Err);
        Assert.Contains("users", imp.Out);

        var info = Cli("data", "info", outDir, "--json");
        Assert.Equal(0, info.Code);
        using var doc = JsonDocument.Parse(info.Out);   // exactly one JSON object
        var r = doc.RootElement;
        Assert.Equal("toy", r.GetProperty("name").GetString());
        Assert.Equal(3, r.GetProperty("users").GetInt32());
        Assert.Equal(4, r.GetProperty("items").GetInt32());
        Assert.Equal(6, r.GetProperty("train").GetInt32());
        Assert.Equal(0, r.GetProperty("valid").GetInt32());
        Assert.Equal(2, r.GetProperty("test").GetInt32());
        Assert.Equal(8.0 / 12, r.GetProperty("density").GetDouble(), 12);
        Assert.Equal(JsonValueKind.Null, r.GetProperty("kg").ValueKind);
    }

    [Fact]
    public void InfoTableShowsKnowledgeGraph()
    {
        var (train, test) = ToyLists();
        var kg = DataFiles.Write(_dir, "toy/kg_final.txt", "0 0 5\n1 1 6\n");
        var outDir = Path.Combine(_dir, "kgat");
        Assert.Equal(0, Cli("data", "import", "--format", "kgat", "--train", train, "--test", test, "--kg", kg, "--out", outDir).Code);
        var info = Cli("data", "info", outDir);
        Assert.Equal(0, info.Code);
        Assert.Contains("kg entities", info.Out);
        Assert.Contains("kg triples", info.Out);
    }

    [Fact]
    public void FailedImportLeavesNoOutputFolder()
    {
        var train = DataFiles.Write(_dir, "bad/train.txt", "0 1\n1 2 oops\n");
        var test = DataFiles.Write(_dir, "bad/test.txt", "0 3\n");
        var parent = Path.Combine(_dir, "outputs");
        Directory.CreateDirectory(parent);
        var outDir = Path.Combine(parent, "ds");
        var r = Cli("data", "import", "--format", "lightgcn", "--train", train, "--test", test, "--out", outDir);
        Assert.Equal(CliRunner.BadInput, r.Code);
        Assert.Contains("train.txt:2", r.Err);
        Assert.False(Directory.Exists(outDir));
        Assert.Empty(Directory.EnumerateFileSystemEntries(parent));   // no temp folder left behind
    }

    [Fact]
    public void ExistingOutputNeedsForce()
    {
        var (train, test) = ToyLists();
        var outDir = Path.Combine(_dir, "out");
        string[] args = ["data", "import", "--format", "lightgcn", "--train", train, "--test", test, "--out", outDir];
        Assert.Equal(0, Cli(args).Code);
        var again = Cli(args);
        Assert.Equal(CliRunner.BadInput, again.Code);
        Assert.Contains("--force", again.Err);
        Assert.Equal(0, Cli([.. args, "--force"]).Code);
    }

    [Fact]
    public void UnknownFormatAndMissingOptionExitNonZero()
    {
        var outDir = Path.Combine(_dir, "out");
        var unknown = Cli("data", "import", "--format", "parquet", "--input", "x", "--out", outDir);
        Assert.Equal(CliRunner.BadInput, unknown.Code);
        Assert.Contains("unknown format 'parquet'", unknown.Err);
        var missing = Cli("data", "import", "--format", "kgat", "--train", "a", "--test", "b", "--out", outDir);
        Assert.Equal(CliRunner.BadInput, missing.Code);
        // The library names the concept (knowledge-graph file); the CLI may map it to its flag.
        Assert.Matches("--kg|knowledge-graph file", missing.Err);
        var missingFile = Cli("data", "import", "--format", "lightgcn", "--train", Path.Combine(_dir, "none.txt"), "--test", "b", "--out", outDir);
        Assert.Equal(CliRunner.BadInput, missingFile.Code);
        Assert.Contains("none.txt", missingFile.Err);
        Assert.False(Directory.Exists(outDir));
    }

    [Fact]
    public void CsvImportThenRandomSplitWithValidation()
    {
        var lines = new List<string> { "user;item;ts" };
        for (int u = 0; u < 10; u++)
            for (int i = 0; i < 10; i++) lines.Add($"u{u};i{(u + i) % 12};{u * 100 + i}");
        var csv = DataFiles.Write(_dir, "log.csv", string.Join("\n", lines));
        var raw = Path.Combine(_dir, "raw");
        var imp = Cli("data", "import", "--format", "csv", "--input", csv, "--user-col", "user", "--item-col", "item", "--time-col", "ts", "--delimiter", ";", "--out", raw);
        Assert.True(imp.Code == 0, imp.Err);
        Assert.Contains("recsys data split", imp.Out);

        var split = Path.Combine(_dir, "split");
        var r = Cli("data", "split", raw, "--method", "random", "--test-ratio", "0.2", "--valid-ratio", "0.1", "--seed", "3", "--out", split, "--json");
        Assert.True(r.Code == 0, r.Err);
        using var doc = JsonDocument.Parse(r.Out);
        Assert.Equal(70, doc.RootElement.GetProperty("train").GetInt32());
        Assert.Equal(10, doc.RootElement.GetProperty("valid").GetInt32());
        Assert.Equal(20, doc.RootElement.GetProperty("test").GetInt32());
        var d = DatasetFolder.Read(split);
        Assert.NotNull(d.Test.Timestamps);
        Assert.Equal("3", d.Provenance["split.seed"]);
        Assert.Equal(new[] { "u0", "u1" }, d.UserRawIds!.Take(2));
    }

    [Fact]
    public void LeaveOneOutAndTemporalSplitsFromTheCli()
    {
        var seq = DataFiles.Write(_dir, "seq.txt", "1 1 2 3 4\n2 2 3 4\n");
        var raw = Path.Combine(_dir, "seq");
        Assert.Equal(0, Cli("data", "import", "--format", "sequences", "--input", seq, "--out", raw).Code);

        var loo = Path.Combine(_dir, "loo");
        Assert.Equal(0, Cli("data", "split", raw, "--method", "leave-one-out", "--out", loo).Code);
        var d = DatasetFolder.Read(loo);
        Assert.Null(d.Valid);
        Assert.Equal(new[] { (0, 3), (1, 3) }, DataFiles.Pairs(d.Test));

        var tmp = Path.Combine(_dir, "temporal");
        var r = Cli("data", "split", raw, "--method", "temporal", "--cut-time", "1", "--out", tmp, "--json");
        Assert.True(r.Code == 0, r.Err);
        var t = DatasetFolder.Read(tmp);
        Assert.All(t.Train.Timestamps!, v => Assert.True(v <= 1));
        Assert.All(t.Test.Timestamps!, v => Assert.True(v > 1));
        Assert.Equal(3, t.Test.Count);

        var bad = Cli("data", "split", raw, "--method", "shuffle", "--out", Path.Combine(_dir, "x"));
        Assert.Equal(CliRunner.BadInput, bad.Code);
    }
}
