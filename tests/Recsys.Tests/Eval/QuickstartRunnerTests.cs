using Recsys.Data;
using Recsys.Data.Synthetic;
using Recsys.Eval.Quickstart;
using Recsys.Tests.Infrastructure;

namespace Recsys.Tests.Eval;

public class QuickstartRunnerTests
{
    private static QuickstartOptions Small(string dir) => new()
    {
        OutputFolder = dir,
        Data = new SyntheticOptions { Users = 240, Items = 160, Communities = 4, WithKnowledgeGraph = true, Seed = 7, Name = "qs-test" },
        Epochs = 12, EvalEvery = 4, Patience = 2, Models = ["mf", "lightgcn"],
    };

    [Fact]
    public void RunsEveryBaselineAndModelAndWritesDataAndRuns()
    {
        var dir = Path.Combine(TestPaths.NewTempDir(), "qs");
        var steps = new List<string>();
        var rows = QuickstartRunner.Run(Small(dir), Tc.Catalog, new InlineProgress(p => steps.Add(p.Step)));

        Assert.Equal(["pop", "itemknn", "mf", "lightgcn"], rows.Select(r => r.Model));
        Assert.Equal(5, steps.Count);
        foreach (var r in rows)
            foreach (var (key, v) in r.Metrics)
                Assert.InRange(v, 0, 1);
        var data = DatasetFolder.Read(Path.Combine(dir, "data"));
        Assert.Equal(240, data.NumUsers);
        Assert.NotNull(data.Knowledge);
        Assert.True(File.Exists(Path.Combine(dir, "runs", "lightgcn", "run.json")));
        // Planted communities: a trained model must find them far better than popularity does.
        double pop = rows[0].Metrics["recall@20"];
        Assert.True(rows[3].Metrics["recall@20"] > pop + 0.05, $"lightgcn {rows[3].Metrics["recall@20"]:F4} vs pop {pop:F4}");
    }

    [Fact]
    public void RefusesANonEmptyFolderWithoutForce()
    {
        var dir = TestPaths.NewTempDir();
        File.WriteAllText(Path.Combine(dir, "keep.txt"), "x");
        Assert.Throws<IOException>(() => QuickstartRunner.Run(Small(dir), Tc.Catalog));
        Assert.True(File.Exists(Path.Combine(dir, "keep.txt")));
    }

    [Fact]
    public void RejectsBadOptions()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => QuickstartRunner.Run(Small(TestPaths.NewTempDir()) with { Epochs = 0 }, Tc.Catalog));
        Assert.Equal("Epochs", e.ParamName);
    }

    private sealed class InlineProgress(Action<QuickstartProgress> f) : IProgress<QuickstartProgress>
    {
        public void Report(QuickstartProgress value) => f(value);
    }
}
