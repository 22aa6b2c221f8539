using Recsys.Devices;
using Recsys.Tests.Infrastructure;
using System.Text.Json.Nodes;
using Recsys.Models;
using Recsys.Training;

namespace Recsys.Tests.Training;

public class TrainerTests
{
    private static readonly (Recsys.Data.InteractionMatrix Train, Recsys.Data.InteractionMatrix Test) Data = TinyData.Communities();

    private static TrainerOptions Opts => new()
    {
        Epochs = 4, BatchSize = 16, LearningRate = 0.01, Reg = 1e-4, EvalEvery = 2, Patience = 0, Seed = 3, Device = DeviceChoice.Cpu,
    };

    public static TheoryData<string> Kinds => new() { "lightgcn", "ngcf", "mf" };

    private static ModelOptions Small(string kind) => Tc.Model(kind) switch
    {
        NgcfOptions n => n with { Dim = 8, LayerDims = [8, 8] },
        LightGcnOptions l => l with { Dim = 8, Layers = 2 },
        var m => m with { Dim = 8 },
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void ResumeAfterMidEpochCancelMatchesUninterruptedRun(string kind)
    {
        var (train, test) = Data;
        var straightDir = TestPaths.NewTempDir();
        var straight = Tc.Trainer(new BruteForceRecallScorer(train, test)).Train(train, "c", Small(kind), Opts, straightDir);

        // Cancel in epoch 2 after 8 batches (20 batches per epoch), then resume.
        var dir = TestPaths.NewTempDir();
        using var cts = new CancellationTokenSource();
        var progress = new SyncProgress<TrainingProgress>(p => { if (p.Epoch == 2 && p.Batch >= 8) cts.Cancel(); });
        var first = Tc.Trainer(new BruteForceRecallScorer(train, test), progress).Train(train, "c", Small(kind), Opts, dir, cts.Token);
        Assert.True(first.Cancelled);
        Assert.Equal("cancelled", new RunFolder(dir).ReadRecord(Tc.Catalog).Status);
        var resumed = Tc.Trainer(new BruteForceRecallScorer(train, test)).Resume(train, dir);

        Assert.False(resumed.Cancelled);
        Assert.Equal(straight.Record.Epochs.Select(e => e.Loss), resumed.Record.Epochs.Select(e => e.Loss));
        Assert.Equal(straight.Record.Evaluations.Select(e => e.Metrics["recall@5"]), resumed.Record.Evaluations.Select(e => e.Metrics["recall@5"]));
        var a = Recsys.IO.EmbeddingFile.Read(new RunFolder(straightDir).UserEmbeddingsFile, out _, out _);
        var b = Recsys.IO.EmbeddingFile.Read(new RunFolder(dir).UserEmbeddingsFile, out _, out _);
        Assert.Equal(a, b); // bitwise
    }

    [Fact]
    public void ResumeWithMoreEpochsContinuesACompletedRun()
    {
        var (train, _) = Data;
        var o = Opts with { EvalEvery = 0, Epochs = 3 };
        var straight = Tc.Trainer().Train(train, "c", Small("mf"), o, TestPaths.NewTempDir());
        var dir = TestPaths.NewTempDir();
        Tc.Trainer().Train(train, "c", Small("mf"), o with { Epochs = 2 }, dir);
        var more = Tc.Trainer().Resume(train, dir, epochs: 3);
        Assert.Equal(3, more.Record.Epochs.Count);
        Assert.Equal(straight.Embeddings!.Items, more.Embeddings!.Items);
    }

    [Fact]
    public void ResumeRefusesAScorerOfAnotherMetric()
    {
        var (train, test) = Data;
        var dir = TestPaths.NewTempDir();
        Tc.Trainer(new BruteForceRecallScorer(train, test, k: 5)).Train(train, "c", Small("mf"), Opts with { EvalEvery = 1, Epochs = 1 }, dir);
        var e = Assert.Throws<ArgumentException>(() => Tc.Trainer(new BruteForceRecallScorer(train, test, k: 10)).Resume(train, dir, epochs: 2));
        Assert.Contains("recall@5", e.Message);
        Assert.Equal(2, Tc.Trainer(new BruteForceRecallScorer(train, test, k: 5)).Resume(train, dir, epochs: 2).Record.Epochs.Count);
    }

    [Fact]
    public void ResumeCanChangeTheTorchThreadCountAndRecordsIt()
    {
        var (train, _) = Data;
        var o = Opts with { EvalEvery = 0, Epochs = 3, TorchThreads = 0 };
        var straight = Tc.Trainer().Train(train, "c", Small("ngcf"), o, TestPaths.NewTempDir());
        var dir = TestPaths.NewTempDir();
        Tc.Trainer().Train(train, "c", Small("ngcf"), o with { Epochs = 2 }, dir);
        var more = Tc.Trainer().Resume(train, dir, epochs: 3, torchThreads: 1);
        Assert.Equal(1, more.Record.Trainer.TorchThreads);
        Assert.Equal(1, new RunFolder(dir).ReadRecord(Tc.Catalog).Trainer.TorchThreads);
        Assert.Equal(straight.Record.Epochs.Select(e => e.Loss), more.Record.Epochs.Select(e => e.Loss)); // speed only
    }

    [Fact]
    public void EarlyStoppingHonoursPatienceAndKeepsBestEpoch()
    {
        var (train, _) = Data;
        var scorer = new ScriptedScorer([0.1, 0.3, 0.2, 0.25, 0.29, 0.5]);
        var dir = TestPaths.NewTempDir();
        var r = Tc.Trainer(scorer).Train(train, "c", Small("mf"), Opts with { Epochs = 20, EvalEvery = 1, Patience = 3 }, dir);
        Assert.Equal("early-stopped", r.Record.Status);
        Assert.Equal(5, r.Record.Epochs.Count);          // evals: .1 .3 (best) .2 .25 .29 → 3 without improvement
        Assert.Equal(2, r.Record.BestEpoch);
        Assert.Equal(0.3, r.Record.BestValue);
        Assert.Equal(2, r.Record.SavedEpoch);
        var json = JsonNode.Parse(File.ReadAllText(new RunFolder(dir).RunJson))!;
        Assert.Equal("mf", json["model"]!["model"]!.GetValue<string>());
        Assert.Equal("test", json["evaluatedSplit"]!.GetValue<string>());
        Assert.Equal(5, json["evaluations"]!.AsArray().Count);
        Assert.Equal(64, json["data"]!["trainSha256"]!.GetValue<string>().Length);
        Assert.True(json["epochs"]![0]!["seconds"]!.GetValue<double>() > 0);
    }

    [Fact]
    public void EvalEveryZeroTrainsWithoutScoringAndSavesLastEpoch()
    {
        var (train, test) = Data;
        var scorer = new BruteForceRecallScorer(train, test);
        var dir = TestPaths.NewTempDir();
        var r = Tc.Trainer(scorer).Train(train, "c", Small("lightgcn"), Opts with { EvalEvery = 0, Epochs = 2 }, dir);
        Assert.Equal(0, scorer.Calls);
        Assert.Equal("completed", r.Record.Status);
        Assert.Equal(2, r.Record.SavedEpoch);
        Assert.Null(r.Record.EvaluatedSplit);
        var run = new RunFolder(dir);
        Assert.True(File.Exists(run.ModelFile) && File.Exists(run.ItemEmbeddingsFile) && Directory.Exists(run.CheckpointDir));
        Assert.Empty(Directory.GetFiles(dir, "*.tmp"));
    }

    [Fact]
    public void RefusesToOverwriteARunAndToResumeOnOtherData()
    {
        var (train, _) = Data;
        var dir = TestPaths.NewTempDir();
        Tc.Trainer().Train(train, "c", Small("mf"), Opts with { EvalEvery = 0, Epochs = 1 }, dir);
        Assert.Throws<IOException>(() => { Tc.Trainer().Train(train, "c", Small("mf"), Opts, dir); });
        var other = Recsys.Data.InteractionMatrix.From([0, 1], [0, 1], train.NumUsers, train.NumItems);
        Assert.Throws<InvalidDataException>(() => { Tc.Trainer().Resume(other, dir); });
    }

    [Fact]
    public void OptionsValidateWithOptionNames()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => (Opts with { BatchSize = 0 }).Validate());
        Assert.Equal("BatchSize", e.ParamName);
        Assert.Equal("Device", Assert.Throws<ArgumentOutOfRangeException>(() => (Opts with { Device = DeviceChoice.Cuda(1) }).Validate()).ParamName);
        Assert.Equal("Layers", Assert.Throws<ArgumentOutOfRangeException>(() => new LightGcnOptions { Layers = -1 }.Validate()).ParamName);
    }

    private sealed class ScriptedScorer(double[] values) : IValidationScorer
    {
        private int _i;
        public string PrimaryMetric => "recall@20";
        public string Split => "test";
        public IReadOnlyDictionary<string, double> Score(Recsys.Models.ModelSnapshot snapshot) =>
            new Dictionary<string, double> { ["recall@20"] = values[Math.Min(_i++, values.Length - 1)] };
    }
}
