using System.Text.Json.Nodes;
using Recsys.Cli;
using Recsys.Tests.Eval.Reports;
using Recsys.Tests.Infrastructure;

namespace Recsys.Tests.Cli;

public class ReportCompressionCommandTests
{
    private static (int Code, string Out, string Err) Run(params string[] args) => CliHarness.Run(args);

    [Fact]
    public void PrintsTheTableAndWritesTheFiles()
    {
        var runs = CompressionRuns.KnownSet(TestPaths.NewTempDir());
        var outDir = Path.Combine(TestPaths.NewTempDir(), "cmp");
        var (code, stdout, err) = Run(["report", "compression", .. runs, "--out", outDir]);
        Assert.True(code == 0, err);
        Assert.Contains("| mf | graphhash | 250 | 75.0% | 0.1600 | 0.0800 | 0.80× | 2.00× | 1.33× | frequency | mf-gh-75 |", stdout);
        Assert.Contains($"wrote {Path.Combine(outDir, "compression_lightgcn.png")}", stdout);
        Assert.True(File.Exists(Path.Combine(outDir, "compression.md")));
    }

    [Fact]
    public void JsonPrintsOneObject()
    {
        var runs = CompressionRuns.KnownSet(TestPaths.NewTempDir());
        var (code, stdout, err) = Run(["report", "compression", .. runs, "--out", Path.Combine(TestPaths.NewTempDir(), "cmp"), "--json"]);
        Assert.True(code == 0, err);
        var o = JsonNode.Parse(stdout)!.AsObject();
        Assert.Equal(10, o["runs"]!.AsArray().Count);
        Assert.Equal(3, o["files"]!.AsArray().Count);
    }

    [Fact]
    public void PlainReportStillTakesRunFolders()
    {
        var runs = CompressionRuns.KnownSet(TestPaths.NewTempDir());
        var (code, stdout, err) = Run("report", runs[0], runs[1], "--out", Path.Combine(TestPaths.NewTempDir(), "r"));
        Assert.True(code == 0, err);
        Assert.Contains("| mf-full | mf |", stdout);
    }
}
