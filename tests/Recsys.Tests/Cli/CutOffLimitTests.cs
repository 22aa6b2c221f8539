using Recsys.Cli;
using Recsys.Data;
using Recsys.Data.Synthetic;
using Recsys.Tests.Infrastructure;
using Recsys.Tests.IO;

namespace Recsys.Tests.Cli;

/// <summary>
/// A cut-off K beyond the number of items never sizes a buffer: evaluation ranks at most every item (metrics count the
/// missing ranks as misses); retrieve, whose output is [queries, K], refuses it (exit 2, naming --k).
/// </summary>
public class CutOffLimitTests
{
    private static (int Code, string Err) Run(params string[] args) { var (code, _, err) = CliHarness.Run(args); return (code, err); }

    [Fact]
    public void KBeyondTheItemsIsBounded()
    {
        var dir = TestPaths.NewTempDir();
        var data = Path.Combine(dir, "data");
        DatasetFolder.Write(SyntheticGenerator.Generate(new SyntheticOptions { Users = 60, Items = 80, Seed = 1 }), data);
        var before = GC.GetTotalAllocatedBytes();
        var (code, err) = Run("eval", "--data", data, "--model", "pop", "--k", "2000000000,80", "--out", Path.Combine(dir, "e"));
        Assert.True(code == 0, err);
        Assert.InRange(GC.GetTotalAllocatedBytes() - before, 0, 512L << 20);
        var m = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "e", "metrics.json")))!;
        // Every item is ranked at K = 80 already: recall is the same, precision divides by K.
        Assert.Equal(m["recall@80"]!.GetValue<double>(), m["recall@2000000000"]!.GetValue<double>(), 12);
        Assert.Equal(m["precision@80"]!.GetValue<double>() * 80 / 2e9, m["precision@2000000000"]!.GetValue<double>(), 12);
        File.WriteAllBytes(Path.Combine(dir, "q.npy"), EmbeddingFileTests.NumpyBytes([1, 0, 0, 1], 2, 2));
        File.WriteAllBytes(Path.Combine(dir, "i.npy"), EmbeddingFileTests.NumpyBytes([1, 0, 0, 1, 1, 1], 3, 2));
        var (rc, rerr) = Run("retrieve", "--queries", Path.Combine(dir, "q.npy"), "--items", Path.Combine(dir, "i.npy"), "--k", "4", "--out", Path.Combine(dir, "t.npy"));
        Assert.Equal(CliRunner.BadInput, rc);
        Assert.StartsWith("error: --k:", rerr);
        Assert.Equal(0, Run("retrieve", "--queries", Path.Combine(dir, "q.npy"), "--items", Path.Combine(dir, "i.npy"), "--k", "3", "--out", Path.Combine(dir, "t.npy")).Code);
    }

    [Fact]
    public void RetrieveRefusesNonFiniteVectorsNamingTheFile()
    {
        var dir = TestPaths.NewTempDir();
        File.WriteAllBytes(Path.Combine(dir, "q.npy"), EmbeddingFileTests.NumpyBytes([1, 0, 0, float.NaN], 2, 2));
        File.WriteAllBytes(Path.Combine(dir, "i.npy"), EmbeddingFileTests.NumpyBytes([1, 0, 0, 1, 1, 1], 3, 2));
        var (code, err) = Run("retrieve", "--queries", Path.Combine(dir, "q.npy"), "--items", Path.Combine(dir, "i.npy"), "--k", "2", "--out", Path.Combine(dir, "t.npy"));
        Assert.Equal(CliRunner.BadInput, code);
        Assert.Contains("q.npy", err);
        Assert.False(File.Exists(Path.Combine(dir, "t.npy")));
    }
}
