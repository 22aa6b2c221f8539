using Recsys.Eval.Reports;
using Recsys.Tests.Infrastructure;

namespace Recsys.Tests.Eval.Reports;

public class CompressionReportTests
{
    private static IReadOnlyList<CompressionReport.Line> Known() => CompressionReport.Load(CompressionRuns.KnownSet(TestPaths.NewTempDir()), Tc.Catalog);

    private static CompressionReport.Line Of(IReadOnlyList<CompressionReport.Line> lines, string run) => lines.Single(l => l.Entry.Run == run);

    [Fact]
    public void RatiosAreAgainstTheBestBaselineOfTheSameModelAndBudget()
    {
        var lines = Known();
        var gh = Of(lines, "mf-gh-75");
        Assert.Equal(250, gh.Entry.Rows);
        Assert.Equal(250, gh.Entry.Budget);
        Assert.Equal(0.75, gh.Entry.Reduction!.Value, 12);
        Assert.Equal(0.16 / 0.20, gh.RecallVsFull!.Value, 12);
        Assert.Equal(0.16 / 0.08, gh.RecallVsBaseline!.Value, 12);   // best recall at 250 rows: frequency
        Assert.Equal(0.08 / 0.06, gh.NdcgVsBaseline!.Value, 12);     // best NDCG at 250 rows: LSH
        Assert.Equal("frequency", gh.BestBaseline);

        var gh90 = Of(lines, "mf-gh-90");
        Assert.Equal(0.9, gh90.Entry.Reduction!.Value, 12);
        Assert.Equal(4.0, gh90.RecallVsBaseline!.Value, 12);         // only random (0.03) at 100 rows
        Assert.Equal(2.0, gh90.NdcgVsBaseline!.Value, 12);
        Assert.Equal(1.0, Of(lines, "mf-frequency-75").RecallVsBaseline!.Value, 12);
        Assert.Equal(0.5, Of(lines, "mf-random-75").RecallVsBaseline!.Value, 12);

        // LightGCN's graphhash has no baseline at its budget; its full run is LightGCN's, not MF's.
        var lg = Of(lines, "lgcn-gh-75");
        Assert.Null(lg.RecallVsBaseline);
        Assert.Equal(0.22 / 0.25, lg.RecallVsFull!.Value, 12);
    }

    [Fact]
    public void MetricsComeFromTheKeptEpoch()
    {
        var full = Of(Known(), "mf-full");
        Assert.Equal(3, full.Entry.Epoch);
        Assert.Equal(0.20, full.Entry.Recall);
        Assert.Equal(0.10, full.Entry.Ndcg);
        Assert.Equal("test", full.Entry.Split);
        Assert.Null(full.RecallVsFull);
        Assert.Equal(1000, full.Entry.Rows);
        Assert.Equal(0.0, full.Entry.Reduction);
    }

    [Fact]
    public void OldRunJsonWithoutTablesFallsBackToTheSpec()
    {
        var lines = Known();
        var lsh = Of(lines, "mf-lsh-75");                             // 150 → 2^7, 100 → 2^6 rows; budget still 250
        Assert.Equal(192, lsh.Entry.Rows);
        Assert.Equal(250, lsh.Entry.Budget);
        Assert.Equal(1 - 192 / 1000.0, lsh.Entry.Reduction!.Value, 12);
        var old = Of(lines, "mf-gh-old");                             // clustered tables: size unknown without "tables"
        Assert.Null(old.Entry.Rows);
        Assert.Null(old.Entry.Reduction);
        Assert.Null(old.RecallVsBaseline);
        Assert.Equal(0.5, old.RecallVsFull!.Value, 12);
    }

    [Fact]
    public void MarkdownIsOrderedByModelBudgetAndMethod()
    {
        var md = CompressionReport.Markdown(Known());
        var rows = md.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(2).Select(l => l.Split('|').Last(c => c.Trim().Length > 0).Trim()).ToArray();
        Assert.Equal(["mf-full", "mf-gh-75", "mf-random-75", "mf-frequency-75", "mf-lsh-75", "mf-gh-90", "mf-random-90", "mf-gh-old", "lgcn-full", "lgcn-gh-75"], rows);
        Assert.Contains("| mf | graphhash | 250 | 75.0% | 0.1600 | 0.0800 | 0.80× | 2.00× | 1.33× | frequency | mf-gh-75 |", md);
        Assert.Contains("| mf | full | 1,000 | 0.0% | 0.2000 | 0.1000 | - | - | - | - | mf-full |", md);
        Assert.Contains("| mf | lsh | 192 | 80.8% | 0.0600 | 0.0600 | 0.30× | 0.75× | 1.00× | frequency | mf-lsh-75 |", md);
        Assert.Contains("| mf | graphhash | ? | ? | 0.1000 | 0.0500 | 0.50× | - | - | - | mf-gh-old |", md);
    }

    [Fact]
    public void WritesMarkdownAndOnePngPerBackbone()
    {
        var outDir = Path.Combine(TestPaths.NewTempDir(), "out");
        var files = CompressionReport.Write(Known(), outDir);
        Assert.Equal(["compression.md", "compression_mf.png", "compression_lightgcn.png"], files.Select(f => Path.GetFileName(f)).ToArray());
        foreach (var png in files.Skip(1))
        {
            var head = File.ReadAllBytes(png).AsSpan(0, 8).ToArray();
            Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }, head);
        }
        var md = File.ReadAllText(files[0]);
        Assert.Contains("![mf](compression_mf.png)", md);
        Assert.Contains("| mf | graphhash | 250 |", md);
        Assert.Empty(Directory.GetFiles(outDir, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public void JsonHasOneObjectPerRun()
    {
        var j = CompressionReport.ToJson(Known());
        var runs = j["runs"]!.AsArray();
        Assert.Equal(10, runs.Count);
        var gh = runs.Single(r => r!["run"]!.GetValue<string>() == "mf-gh-75")!;
        Assert.Equal(250, gh["rows"]!.GetValue<int>());
        Assert.Equal(2.0, gh["recallVsBestBaseline"]!.GetValue<double>(), 12);
        Assert.Null(runs.Single(r => r!["run"]!.GetValue<string>() == "mf-gh-old")!["rows"]);
    }
}
