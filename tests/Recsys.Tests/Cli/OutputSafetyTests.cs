using Recsys.Cli;
using Recsys.Data;
using Recsys.IO;
using Recsys.Tests.Infrastructure;
using Recsys.Tests.IO;

namespace Recsys.Tests.Cli;

/// <summary>Every writer verb refuses an output that would replace its inputs, and replaces existing outputs only with --force.</summary>
public class OutputSafetyTests
{
    private static (int Code, string Out, string Err) Run(params string[] args) => CliHarness.Run(args);

    private static string Data(string dir)
    {
        var data = Path.Combine(dir, "data");
        DatasetFolder.Write(new Dataset
        {
            Name = "tiny", NumUsers = 3, NumItems = 4,
            Train = new Interactions([0, 1, 2, 2], [0, 1, 2, 3]),
            Test = new Interactions([0, 0, 1], [2, 3, 0]),
        }, data);
        return data;
    }

    private static void AssertRefused((int Code, string Out, string Err) r, string mentions)
    {
        Assert.True(r.Code == CliRunner.BadInput, r.Err);
        Assert.Contains(mentions, r.Err);
    }

    [Fact]
    public void EvalForceCannotReplaceTheDataFolder()
    {
        var data = Data(TestPaths.NewTempDir());
        AssertRefused(Run("eval", "--data", data, "--model", "pop", "--out", data, "--force"), "is the input --data");
        Assert.True(File.Exists(Path.Combine(data, "dataset.json")));
        AssertRefused(Run("eval", "--data", data, "--model", "pop", "--out", Path.Combine(data, "eval")), "lies inside the input --data");
        var outDir = Path.Combine(Path.GetDirectoryName(data)!, "eval");
        Assert.Equal(0, Run("eval", "--data", data, "--model", "pop", "--out", outDir).Code);
        AssertRefused(Run("eval", "--data", data, "--model", "pop", "--out", outDir), "--force");
        Assert.Equal(0, Run("eval", "--data", data, "--model", "pop", "--out", outDir, "--force").Code);
    }

    [Fact]
    public void ImportCannotReplaceTheFolderHoldingItsInputs()
    {
        var dir = TestPaths.NewTempDir();
        File.WriteAllText(Path.Combine(dir, "train.txt"), "0 0 1\n1 1 2\n");
        File.WriteAllText(Path.Combine(dir, "test.txt"), "0 2\n1 0\n");
        AssertRefused(Run("data", "import", "--format", "lightgcn", "--train", Path.Combine(dir, "train.txt"),
            "--test", Path.Combine(dir, "test.txt"), "--out", dir, "--force"), "contains the input --train");
        Assert.True(File.Exists(Path.Combine(dir, "train.txt")));
    }

    [Fact]
    public void SplitCannotReplaceItsInput()
    {
        var data = Data(TestPaths.NewTempDir());
        AssertRefused(Run("data", "split", data, "--method", "random", "--out", data, "--force"), "is the input DIR");
        Assert.True(File.Exists(Path.Combine(data, "dataset.json")));
    }

    [Fact]
    public void RetrieveCannotOverwriteItsInputsAndNeedsForceForExistingFiles()
    {
        var dir = TestPaths.NewTempDir();
        var q = Path.Combine(dir, "q.npy");
        var items = Path.Combine(dir, "i.npy");
        File.WriteAllBytes(q, EmbeddingFileTests.NumpyBytes([1, 0, 0, 1], 2, 2));
        File.WriteAllBytes(items, EmbeddingFileTests.NumpyBytes([1, 0, 0, 1, 1, 1], 3, 2));
        var before = File.ReadAllBytes(items);
        AssertRefused(Run("retrieve", "--queries", q, "--items", items, "--k", "1", "--out", items, "--force"), "is the input --items");
        Assert.Equal(before, File.ReadAllBytes(items));
        var outPath = Path.Combine(dir, "top.npy");
        Assert.Equal(0, Run("retrieve", "--queries", q, "--items", items, "--k", "1", "--out", outPath).Code);
        AssertRefused(Run("retrieve", "--queries", q, "--items", items, "--k", "1", "--out", outPath), "--force");
        Assert.Equal(0, Run("retrieve", "--queries", q, "--items", items, "--k", "1", "--out", outPath, "--force").Code);
    }

    [Fact]
    public void EmbedRefusesAnExistingFileAndAnInputFolder()
    {
        var data = Data(TestPaths.NewTempDir());
        var outPath = Path.Combine(Path.GetDirectoryName(data)!, "e.npy");
        string[] args = ["embed", "fastrp", "--data", data, "--dim", "8", "--out", outPath];
        Assert.Equal(0, Run(args).Code);
        AssertRefused(Run(args), "--force");
        Assert.Equal(0, Run([.. args, "--force"]).Code);
        AssertRefused(Run("embed", "fastrp", "--data", data, "--dim", "8", "--out", Path.Combine(data, "e.npy")), "lies inside the input --data");
    }

    [Fact]
    public void CompressAndClusterRefuseExistingFiles()
    {
        var data = Data(TestPaths.NewTempDir());
        var outPath = Path.Combine(Path.GetDirectoryName(data)!, "rows.npy");
        Assert.Equal(0, Run("compress", "graphhash", "--data", data, "--out", outPath).Code);
        AssertRefused(Run("compress", "graphhash", "--data", data, "--out", outPath), "--force");
        AssertRefused(Run("cluster", "louvain", "--data", data, "--out", outPath), "--force");
        Assert.Equal(0, Run("cluster", "louvain", "--data", data, "--out", outPath, "--force").Code);
        AssertRefused(Run("cluster", "louvain", "--data", data, "--out", Path.Combine(data, "labels.npy"), "--force"), "lies inside the input --data");
    }

    [Fact]
    public void ReportCannotWriteIntoARunFolder()
    {
        var run = TestPaths.NewTempDir();
        AssertRefused(Run("report", run, "--out", run), "is the input RUN");
        AssertRefused(Run("report", "compression", run, "--out", Path.Combine(run, "r")), "lies inside the input RUN");
    }
}
