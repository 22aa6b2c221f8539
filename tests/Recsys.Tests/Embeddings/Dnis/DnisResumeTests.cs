using Recsys.Data;
using Recsys.Embeddings.Dnis;
using Recsys.Models;
using Recsys.Tables;
using Recsys.Tests.Infrastructure;
using Recsys.Tests.Training;
using Recsys.Training;

namespace Recsys.Tests.Embeddings.Dnis;

/// <summary>A DNIS run stopped in its search resumes through pruning and fine-tuning, to exactly the uninterrupted run.</summary>
public class DnisResumeTests
{
    private static readonly MfOptions Options = new()
    {
        Dim = 4, ItemTable = new DnisTableSpec(new FullTableSpec()) { Fractions = FrequencyBlocks.Equal(4), WarmupEpochs = 1, SearchEpochs = 2, Budget = 0.5 },
    };

    private static readonly TrainerOptions TrainerSettings = new() { Epochs = 5, BatchSize = 16, EvalEvery = 0, Seed = 8 };

    /// <summary>A run of <see cref="Options"/> cancelled at the start of its second search epoch.</summary>
    private static string StoppedInSearch(ModelInputs inputs)
    {
        var dir = Path.Combine(TestPaths.NewTempDir(), "split");
        using var cts = new CancellationTokenSource();
        var progress = new SyncProgress<TrainingProgress>(p => { if (p.Epoch == 2) cts.Cancel(); });
        var first = DnisTraining.Train(Tc.Trainer(progress: progress), inputs, Options, TrainerSettings, dir, cts.Token);
        Assert.True(first.Cancelled);
        Assert.True(DnisTraining.InSearch(dir));
        return dir;
    }

    [Fact]
    public void A_run_stopped_in_its_search_resumes_through_pruning_and_fine_tuning_exactly()
    {
        var inputs = DnisData.Inputs(DnisData.Communities());
        var whole = Path.Combine(TestPaths.NewTempDir(), "whole");
        var straight = DnisTraining.Train(Tc.Trainer(), inputs, Options, TrainerSettings, whole);
        Assert.False(DnisTraining.InSearch(whole));

        var split = StoppedInSearch(inputs);
        var resumed = DnisTraining.ResumeSearch(Tc.Trainer(), inputs, split);
        Assert.False(resumed.Cancelled);
        Assert.False(DnisTraining.InSearch(split));
        Assert.Equal(2, resumed.Record.Epochs.Count); // 5 in all: 3 of search, 2 of fine-tuning
        Assert.Equal(straight.Record.Epochs.Select(e => e.Loss), resumed.Record.Epochs.Select(e => e.Loss));
        Assert.Equal(File.ReadAllText(Path.Combine(whole, "dnis.json")), File.ReadAllText(Path.Combine(split, "dnis.json")));
        Assert.Equal(File.ReadAllBytes(Path.Combine(whole, "item_embeddings.arrow")), File.ReadAllBytes(Path.Combine(split, "item_embeddings.arrow")));
    }

    [Fact]
    public void The_plan_keeps_the_metric_fine_tuning_chooses_epochs_on()
    {
        var d = DnisData.Communities();
        var dir = Path.Combine(TestPaths.NewTempDir(), "run");
        var scorer = new BruteForceRecallScorer(DnisData.Inputs(d).Train, InteractionMatrix.From(d.Test!, d.NumUsers, d.NumItems), k: 3);
        DnisTraining.Train(Tc.Trainer(scorer), DnisData.Inputs(d), Options, TrainerSettings with { EvalEvery = 1 }, dir);
        Assert.Equal(new DnisPlan(5, 3, 1, TrainerSettings.Patience, "recall@3"), DnisPlan.Read(dir));

        var noEval = Path.Combine(TestPaths.NewTempDir(), "run");
        DnisTraining.Train(Tc.Trainer(scorer), DnisData.Inputs(d), Options, TrainerSettings, noEval);
        Assert.Null(DnisPlan.Read(noEval).PrimaryMetric);
    }

    [Fact]
    public void A_run_refused_before_its_search_leaves_no_folder()
    {
        var dir = Path.Combine(TestPaths.NewTempDir(), "refused");
        var unknownModel = new Trainer(new Recsys.Catalog.RecsysCatalog()); // knows no model kind, so the search is refused
        Assert.ThrowsAny<Exception>(() => DnisTraining.Train(unknownModel, DnisData.Inputs(DnisData.Communities()), Options, TrainerSettings, dir));
        Assert.False(Directory.Exists(dir));
    }

    [Fact]
    public void The_cli_resumes_a_run_stopped_in_its_search_and_refuses_a_total_the_search_fills()
    {
        var d = DnisData.Communities();
        var data = Path.Combine(TestPaths.NewTempDir(), "data");
        DatasetFolder.Write(d, data);
        var split = StoppedInSearch(DnisData.Inputs(d));

        var searched = File.ReadAllBytes(Path.Combine(split, "search", "run.json"));
        var (code, _, err) = CliHarness.Run("train", "--resume", split, "--data", data, "--epochs", "3");
        Assert.Equal(Recsys.Cli.CliRunner.BadInput, code);
        Assert.Contains("fine-tune", err);
        Assert.Equal(searched, File.ReadAllBytes(Path.Combine(split, "search", "run.json"))); // refused before resuming anything

        (code, _, err) = CliHarness.Run("train", "--resume", split, "--data", data);
        Assert.True(code == 0, err);
        Assert.False(DnisTraining.InSearch(split));
        var record = new RunFolder(split).ReadRecord(Tc.Catalog);
        Assert.Equal("completed", record.Status);
        Assert.IsType<MixedDimensionTableSpec>(((MfOptions)record.Model).ItemTable);
        Assert.Equal(2, record.Trainer.Epochs);

        // Fine-tuning resumed to a new total: --epochs counts the search's 3 epochs as well.
        (code, _, err) = CliHarness.Run("train", "--resume", split, "--data", data, "--epochs", "6");
        Assert.True(code == 0, err);
        Assert.Equal(3, new RunFolder(split).ReadRecord(Tc.Catalog).Trainer.Epochs);

        var broken = StoppedInSearch(DnisData.Inputs(d));
        File.WriteAllText(Path.Combine(broken, DnisTraining.PlanFile), "{\"Epochs\": -1}");
        (code, _, err) = CliHarness.Run("train", "--resume", broken, "--data", data);
        Assert.Equal(Recsys.Cli.CliRunner.BadInput, code);
        Assert.Contains(DnisTraining.PlanFile, err);
    }
}
