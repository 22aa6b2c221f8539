using Recsys.Cli;
using Recsys.Data;
using Recsys.Data.Synthetic;
using Recsys.Tests.Infrastructure;
using Recsys.Tests.IO;

namespace Recsys.Tests.Cli;

/// <summary>A cut-off K beyond the number of items is refused (exit 2, naming --k) before it sizes any buffer.</summary>
public class CutOffLimitTests
{
    private static (int Code, string Err) Run(params string[] args)
    {
        var o = new StringWriter(); var e = new StringWriter();
        int code = CliRunner.Run(CliApp.Build(), args, o, e);
        return (code, e.ToString());
    }

    [Fact]
    public void KBeyondTheItemsIsABadOption()
    {
        var dir = TestPaths.NewTempDir();
        var data = Path.Combine(dir, "data");
        DatasetFolder.Write(SyntheticGenerator.Generate(new SyntheticOptions { Users = 60, Items = 80, Seed = 1 }), data);
        foreach (var args in new[]
        {
            new[] { "eval", "--data", data, "--model", "pop", "--k", "2000000000", "--out", Path.Combine(dir, "e") },
            new[] { "train", "--data", data, "--model", "mf", "--k", "81", "--epochs", "1", "--device", "cpu", "--out", Path.Combine(dir, "r") },
        })
        {
            var (code, err) = Run(args);
            Assert.Equal(CliRunner.BadInput, code);
            Assert.StartsWith("error: --k:", err);
            Assert.Single(err.Trim().Split('\n'));
        }
        Assert.False(Directory.Exists(Path.Combine(dir, "r")));
        File.WriteAllBytes(Path.Combine(dir, "q.npy"), EmbeddingFileTests.NumpyBytes([1, 0, 0, 1], 2, 2));
        File.WriteAllBytes(Path.Combine(dir, "i.npy"), EmbeddingFileTests.NumpyBytes([1, 0, 0, 1, 1, 1], 3, 2));
        var (rc, rerr) = Run("retrieve", "--queries", Path.Combine(dir, "q.npy"), "--items", Path.Combine(dir, "i.npy"), "--k", "4", "--out", Path.Combine(dir, "t.npy"));
        Assert.Equal(CliRunner.BadInput, rc);
        Assert.StartsWith("error: --k:", rerr);
        Assert.Equal(0, Run("retrieve", "--queries", Path.Combine(dir, "q.npy"), "--items", Path.Combine(dir, "i.npy"), "--k", "3", "--out", Path.Combine(dir, "t.npy")).Code);
    }
}
