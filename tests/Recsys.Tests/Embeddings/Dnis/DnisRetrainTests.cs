using System.Text.Json.Nodes;
using Recsys.Embeddings.Dnis;
using Recsys.Models;
using Recsys.Tests.Infrastructure;
using Recsys.Tests.Training;
using Recsys.Training;

namespace Recsys.Tests.Embeddings.Dnis;

/// <summary>The widths of a finished DNIS search retrained from a fresh start (<c>recsys train --from-search RUN --retrain</c>).</summary>
public class DnisRetrainTests
{
    private static readonly TrainerOptions Options = new() { Epochs = 4, BatchSize = 16, EvalEvery = 0, Seed = 3 };

    private static MixedDimensionTableSpec Mixed(DnisRecord record, string side)
    {
        var t = record.Tables.Single(t => t.Side == side);
        return new MixedDimensionTableSpec(t.Fractions, t.Kept.Select(k => (IReadOnlyList<int>)k).ToArray());
    }

    [Fact]
    public void A_retrain_is_the_mixed_dimension_model_at_the_searched_columns_trained_from_scratch_for_the_whole_total()
    {
        var inputs = DnisData.Inputs(DnisData.Communities());
        var root = TestPaths.NewTempDir();
        string search = Path.Combine(root, "search"), retrained = Path.Combine(root, "retrained"), tuned = Path.Combine(root, "tuned"), direct = Path.Combine(root, "direct");
        DnisTraining.Train(Tc.Trainer(), inputs, new MfOptions { Dim = 8, UserTable = DnisData.Spec(0.5), ItemTable = DnisData.Spec(0.5) }, Options, search);

        var result = DnisTraining.FromSearch(Tc.Trainer(), inputs, search, new DnisTarget(0.25, null), retrained, epochs: 3, retrain: true);
        Assert.False(result.Cancelled);
        Assert.Equal(3, result.Record.Epochs.Count); // all 3 trained here; the search's 2 are not part of them
        var record = DnisRecord.Read(retrained);
        Assert.True(record.Retrained);
        Assert.True(DnisPlan.Read(retrained).Retrain);

        // The same columns as pruning the search to 0.25 for fine-tuning.
        DnisTraining.FromSearch(Tc.Trainer(), inputs, search, new DnisTarget(0.25, null), tuned);
        Assert.False(DnisRecord.Read(tuned).Retrained);
        Assert.Equal(DnisRecord.Read(tuned).Tables.SelectMany(t => t.Kept.SelectMany(k => k)), record.Tables.SelectMany(t => t.Kept.SelectMany(k => k)));

        // Reference: those mixed-dimension tables trained from the seed's initialisation, with no search at all.
        var mixed = new MfOptions { Dim = 8, UserTable = Mixed(record, "users"), ItemTable = Mixed(record, "items") };
        Tc.Trainer().Train(inputs, mixed, Options with { Epochs = 3 }, direct);
        foreach (var file in new[] { "item_embeddings.arrow", "user_embeddings.arrow" })
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(direct, file)), File.ReadAllBytes(Path.Combine(retrained, file)));
            Assert.NotEqual(File.ReadAllBytes(Path.Combine(tuned, file)), File.ReadAllBytes(Path.Combine(retrained, file)));
        }
        Assert.Equal(record.Tables.Sum(t => t.KeptParameters), result.Record.Tables!.UserParameters + result.Record.Tables.ItemParameters);
    }

    [Fact]
    public void A_stopped_retrain_resumes_to_the_whole_total_exactly()
    {
        var inputs = DnisData.Inputs(DnisData.Communities());
        var root = TestPaths.NewTempDir();
        string search = Path.Combine(root, "search"), whole = Path.Combine(root, "whole"), split = Path.Combine(root, "split");
        DnisTraining.Train(Tc.Trainer(), inputs, new MfOptions { Dim = 8, ItemTable = DnisData.Spec(0.5) }, Options, search);
        var straight = DnisTraining.FromSearch(Tc.Trainer(), inputs, search, new DnisTarget(0.5, null), whole, retrain: true);

        using var cts = new CancellationTokenSource();
        var progress = new SyncProgress<TrainingProgress>(p => { if (p.Epoch == 3) cts.Cancel(); });
        Assert.True(DnisTraining.FromSearch(Tc.Trainer(progress: progress), inputs, search, new DnisTarget(0.5, null), split, cancel: cts.Token, retrain: true).Cancelled);
        var resumed = TableSearchTraining.Resume(Tc.Trainer(), inputs, split);
        Assert.False(resumed.Cancelled);
        Assert.Equal(Options.Epochs, resumed.Record.Epochs.Count);
        Assert.Equal(straight.Record.Epochs.Select(e => e.Loss), resumed.Record.Epochs.Select(e => e.Loss));
        Assert.Equal(File.ReadAllBytes(Path.Combine(whole, "item_embeddings.arrow")), File.ReadAllBytes(Path.Combine(split, "item_embeddings.arrow")));
    }

    [Fact]
    public void The_cli_retrains_a_search_and_refuses_retrain_elsewhere()
    {
        var (dir, data, run) = DnisData.CliDnisRun("mf", 4, "--dnis-budget", "0.5");
        var retrained = Path.Combine(dir, "retrained");
        var r = CliHarness.Run("train", "--from-search", run, "--data", data, "--dnis-budget", "0.25", "--retrain", "--out", retrained, "--json");
        Assert.True(r.Code == 0, r.Err + r.Out);
        var record = JsonNode.Parse(File.ReadAllText(Path.Combine(retrained, "run.json")))!;
        Assert.Equal("mixed-dim", record["model"]!["itemTable"]!["kind"]!.GetValue<string>());
        Assert.Equal(4, record["epochs"]!.AsArray().Count); // the search run's total, all trained from scratch
        Assert.True(DnisRecord.Read(retrained).Retrained);
        var dims = CliHarness.Run("report", "dims", retrained, "--out", Path.Combine(dir, "dims"));
        Assert.True(dims.Code == 0, dims.Err + dims.Out);
        Assert.Contains("retrained from a fresh start", dims.Out);

        var plain = CliHarness.Run("train", "--data", data, "--model", "mf", "--retrain", "--out", Path.Combine(dir, "bad"));
        Assert.NotEqual(0, plain.Code);
        Assert.Contains("--retrain needs --from-search", plain.Err);
        Assert.False(Directory.Exists(Path.Combine(dir, "bad")));
        var resume = CliHarness.Run("train", "--resume", retrained, "--data", data, "--retrain");
        Assert.NotEqual(0, resume.Code);
        Assert.Contains("--retrain", resume.Err);
    }
}
