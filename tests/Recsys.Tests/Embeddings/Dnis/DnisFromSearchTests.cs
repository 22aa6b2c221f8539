using System.Text.Json.Nodes;
using Recsys.Embeddings.Dnis;
using Recsys.Models;
using Recsys.Tables;
using Recsys.Training;
using Recsys.Tests.Infrastructure;

namespace Recsys.Tests.Embeddings.Dnis;

/// <summary>Pruning a finished DNIS search again at another target (<see cref="DnisTraining.FromSearch"/>, <c>recsys train --from-search</c>).</summary>
public class DnisFromSearchTests
{
    private static MfOptions Mf(double budget) => new() { Dim = 8, UserTable = DnisData.Spec(budget), ItemTable = DnisData.Spec(budget) };

    private static readonly TrainerOptions Options = new() { Epochs = 4, BatchSize = 16, EvalEvery = 0, Seed = 3 };

    private static IEnumerable<(string Path, byte[] Bytes)> Files(string dir) =>
        Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories).Order().Select(f => (Path.GetRelativePath(dir, f), File.ReadAllBytes(f)));

    [Fact]
    public void ASearchPrunedAgainEqualsAFreshRunAtThatBudgetAndLeavesTheSourceAlone()
    {
        var inputs = DnisData.Inputs(DnisData.Communities());
        var root = TestPaths.NewTempDir();
        string half = Path.Combine(root, "half"), quarter = Path.Combine(root, "quarter"), forked = Path.Combine(root, "forked");
        DnisTraining.Train(Tc.Trainer(), inputs, Mf(0.5), Options, half);
        DnisTraining.Train(Tc.Trainer(), inputs, Mf(0.25), Options, quarter);
        var before = Files(half).ToList();

        var result = DnisTraining.FromSearch(Tc.Trainer(), inputs, half, new DnisTarget(0.25, null), forked);
        Assert.False(result.Cancelled);
        // The search does not depend on the budget: the same search pruned to 0.25 is the 0.25 run.
        foreach (var file in new[] { "item_embeddings.arrow", "user_embeddings.arrow", "model.bin" })
            Assert.Equal(File.ReadAllBytes(Path.Combine(quarter, file)), File.ReadAllBytes(Path.Combine(forked, file)));
        Assert.Equal(DnisRecord.Read(quarter).Tables.Select(t => t.KeptParameters), DnisRecord.Read(forked).Tables.Select(t => t.KeptParameters));
        Assert.Equal(before.Select(f => f.Path), Files(half).Select(f => f.Path));
        Assert.All(before.Zip(Files(half)), p => Assert.Equal(p.First.Bytes, p.Second.Bytes));
        Assert.Equal(0.25, DnisPlan.Read(forked).Target!.Budget);

        // A finished run written before runs kept their plan: the plan comes from its records.
        var plan = DnisPlan.Read(half);
        File.Delete(Path.Combine(half, DnisTraining.PlanFile));
        Assert.Equal(plan, DnisTraining.SearchPlan(half, Tc.Catalog));
        var again = Path.Combine(root, "again");
        DnisTraining.FromSearch(Tc.Trainer(), inputs, half, new DnisTarget(0.25, null), again);
        Assert.Equal(File.ReadAllBytes(Path.Combine(quarter, "model.bin")), File.ReadAllBytes(Path.Combine(again, "model.bin")));
    }

    [Fact]
    public void RefusesAnUnfinishedSearchAPlainRunAndAnOccupiedFolder()
    {
        var inputs = DnisData.Inputs(DnisData.Communities());
        var root = TestPaths.NewTempDir();
        string plain = Path.Combine(root, "plain"), stopped = Path.Combine(root, "stopped"), done = Path.Combine(root, "done");
        Tc.Trainer().Train(inputs, new MfOptions { Dim = 4 }, Options with { Epochs = 1 }, plain);
        Assert.Contains("not a DNIS run", Assert.Throws<FileNotFoundException>(() =>
            DnisTraining.FromSearch(Tc.Trainer(), inputs, plain, new DnisTarget(0.5, null), Path.Combine(root, "a"))).Message);

        using (var cancel = new CancellationTokenSource())
        {
            cancel.Cancel();
            Assert.True(DnisTraining.Train(Tc.Trainer(), inputs, Mf(0.5), Options, stopped, cancel.Token).Cancelled);
        }
        Assert.Contains("finish it first", Assert.Throws<InvalidOperationException>(() =>
            DnisTraining.FromSearch(Tc.Trainer(), inputs, stopped, new DnisTarget(0.5, null), Path.Combine(root, "b"))).Message);

        DnisTraining.Train(Tc.Trainer(), inputs, Mf(0.5), Options, done);
        var occupied = Path.Combine(root, "occupied");
        Directory.CreateDirectory(occupied);
        File.WriteAllText(Path.Combine(occupied, "note.txt"), "mine");
        Assert.Throws<IOException>(() => DnisTraining.FromSearch(Tc.Trainer(), inputs, done, new DnisTarget(0.5, null), occupied));
        Assert.Equal("mine", File.ReadAllText(Path.Combine(occupied, "note.txt")));
        Assert.Equal(nameof(DnisTableSpec.Budget), Assert.Throws<ArgumentOutOfRangeException>(() =>
            DnisTraining.FromSearch(Tc.Trainer(), inputs, done, new DnisTarget(1.5, null), Path.Combine(root, "c"))).ParamName);
        Assert.False(Directory.Exists(Path.Combine(root, "c")));

        // Refused while pruning (a pruned table would store no fewer scalars than its hashed inner table): the new
        // folder goes again.
        var hashed = Path.Combine(root, "hashed");
        var overHash = new DnisTableSpec(new RandomHashTableSpec(5)) { Fractions = FrequencyBlocks.Equal(4), WarmupEpochs = 1, SearchEpochs = 1, Budget = 0.2 };
        DnisTraining.Train(Tc.Trainer(), inputs, new MfOptions { Dim = 8, ItemTable = overHash }, Options, hashed);
        Assert.Contains("no fewer than the inner table", Assert.Throws<ArgumentOutOfRangeException>(() =>
            DnisTraining.FromSearch(Tc.Trainer(), inputs, hashed, new DnisTarget(1.0, null), Path.Combine(root, "d"))).Message);
        Assert.False(Directory.Exists(Path.Combine(root, "d")));
    }

    [Fact]
    public void CliPrunesASearchAgainAndRefusesSettingsTheRunFixes()
    {
        var (dir, data, run) = DnisData.CliDnisRun("mf", 4, "--dnis-budget", "0.5");

        var forked = Path.Combine(dir, "forked");
        var f = CliHarness.Run("train", "--from-search", run, "--data", data, "--dnis-budget", "0.25", "--out", forked, "--json");
        Assert.True(f.Code == 0, f.Err + f.Out);
        var record = JsonNode.Parse(File.ReadAllText(Path.Combine(forked, "run.json")))!;
        Assert.Equal("mixed-dim", record["model"]!["itemTable"]!["kind"]!.GetValue<string>());
        Assert.Equal(2, record["epochs"]!.AsArray().Count); // 4 in all, 2 of them the copied search
        Assert.True(record["evaluations"]!.AsArray().Count > 0); // the source's evaluation settings
        Assert.InRange(record["tables"]!["itemParameters"]!.GetValue<long>(), 20 * 8 / 4 - 5, 20 * 8 / 4);

        // A floor per block: at budget 0.25 of 8 columns, a floor of 2 leaves every block exactly 2 (pruning to 0.25
        // without one does not).
        Assert.Contains(DnisRecord.Read(forked).Tables.Single().Kept, k => k.Length != 2);
        var floored = Path.Combine(dir, "floored");
        var m = CliHarness.Run("train", "--from-search", run, "--data", data, "--dnis-budget", "0.25", "--dnis-min-width", "2", "--out", floored, "--json");
        Assert.True(m.Code == 0, m.Err + m.Out);
        Assert.All(DnisRecord.Read(floored).Tables.Single().Kept, k => Assert.Equal(2, k.Length));

        foreach (var (args, named) in new (string[], string)[]
        {
            (["--lr", "0.1", "--dnis-budget", "0.25"], "--lr"),
            (["--dnis-blocks", "3", "--dnis-budget", "0.25"], "--dnis-blocks"),
            ([], "exactly one pruning target"),
            (["--dnis-budget", "2"], "--dnis-budget"),
            (["--dnis-budget", "0.5", "--dnis-min-width", "-1"], "--dnis-min-width"),
        })
        {
            var bad = CliHarness.Run(["train", "--from-search", run, "--data", data, "--out", Path.Combine(dir, "bad"), .. args]);
            Assert.NotEqual(0, bad.Code);
            Assert.Contains(named, bad.Err);
            Assert.False(Directory.Exists(Path.Combine(dir, "bad")));
        }
    }
}
