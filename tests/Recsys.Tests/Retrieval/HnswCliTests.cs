using System.Text.Json.Nodes;
using Recsys.Cli;
using Recsys.IO;
using Recsys.Retrieval.Mips.Hnsw;
using Recsys.Tests.Infrastructure;

namespace Recsys.Tests.Retrieval;

/// <summary>The HNSW index through the real CLI paths: <c>retrieve --backend hnsw</c> and <c>bench hnsw</c>.</summary>
public class HnswCliTests
{
    private static (int Rc, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int rc = CliRunner.Run(CliApp.Build(), args, stdout, stderr);
        return (rc, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void RetrieveWithHnswBackendKeepsAndReusesTheGraphFile()
    {
        const int m = 40, n = 5, d = 6, k = 4;
        var dir = TestPaths.NewTempDir();
        var items = MipsTestData.Integers(m, d, 41);
        var queries = MipsTestData.Integers(n, d, 42);
        NpyFile.WriteFloat32(Path.Combine(dir, "items.npy"), items, m, d);
        NpyFile.WriteFloat32(Path.Combine(dir, "queries.npy"), queries, n, d);
        var graph = Path.Combine(dir, HnswIndexFile.DefaultName);
        string[] args = ["retrieve", "--queries", Path.Combine(dir, "queries.npy"), "--items", Path.Combine(dir, "items.npy"), "--k", $"{k}",
            "--backend", "hnsw", "--ef-search", "64", "--index-file", graph, "--out", Path.Combine(dir, "o.npy"), "--force", "--json"];
        var (rc, stdout, stderr) = Run(args);
        Assert.True(rc == 0, stderr);
        Assert.Contains("hnsw (ip, M 16", stdout);
        // efSearch 64 ≥ 40 items: the walk covers the whole graph, so the answer is exact.
        var want = MipsTestData.Reference(items, queries, d, k);
        Assert.Equal(want.Ids, NpyFile.ReadInt32(Path.Combine(dir, "o.npy"), out _, out _));
        Assert.Equal(want.Scores, NpyFile.ReadFloat32(Path.Combine(dir, "o.scores.npy"), out _, out _));
        Assert.True(File.Exists(graph) && File.Exists(HnswIndexFile.SidecarOf(graph)));
        var written = File.GetLastWriteTimeUtc(graph);
        Thread.Sleep(20);
        (rc, _, stderr) = Run(args);
        Assert.True(rc == 0, stderr);
        Assert.Equal(written, File.GetLastWriteTimeUtc(graph));   // reused, not rebuilt
    }

    [Fact]
    public void BenchSweepsEfSearchAndReportsRecallAgainstExact()
    {
        var (rc, stdout, stderr) = Run("bench", "hnsw", "--queries", "60", "--items", "3000", "--dim", "16", "--k", "10",
            "--ef", "1,128", "--latency-queries", "5", "--hnsw-m", "8", "--json");
        Assert.True(rc == 0, stderr);
        var json = JsonNode.Parse(stdout)!;
        var rows = json["rows"]!.AsArray();
        Assert.Equal(2, rows.Count);
        Assert.Equal(1, (int)rows[0]!["expansionSearch"]!);
        double narrow = (double)rows[0]!["recall"]!, wide = (double)rows[1]!["recall"]!;
        Assert.True(narrow < wide && wide >= 0.95, $"recall efSearch 1 = {narrow}, 128 = {wide}");
        Assert.Equal(8, (int)json["graph"]!["connectivity"]!);
        Assert.Equal(3000, (int)json["items"]!);
    }
}
