using Recsys.Devices;
using Recsys.Models;
using Recsys.Tests.Cli;
using Recsys.Tests.Infrastructure;
using Recsys.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Recsys.Tests.Training;

/// <summary>Learning-rate schedules: the factor of each step by hand, the optimizer following it, exact resume, the CLI.</summary>
public class LearningRateScheduleTests
{
    private static LearningRateSchedule S(LearningRateShape shape, int warmup = 0) => new() { Shape = shape, WarmupSteps = warmup };

    [Fact]
    public void FactorsByHand()
    {
        var constant = S(LearningRateShape.Constant, warmup: 4);
        Assert.Equal([0.25, 0.5, 0.75, 1, 1], new long[] { 0, 1, 2, 3, 100 }.Select(s => constant.Factor(s, 10)));
        var invSqrt = S(LearningRateShape.InverseSqrt, warmup: 4);
        Assert.Equal(1.0, invSqrt.Factor(3, 1000));
        Assert.Equal(0.5, invSqrt.Factor(15, 1000), 15);      // √(4 / 16)
        Assert.Equal(0.5, S(LearningRateShape.InverseSqrt).Factor(3, 1000), 15);   // no warm-up: 1 / √4
        var cosine = S(LearningRateShape.Cosine);
        Assert.Equal(1.0, cosine.Factor(0, 10), 15);
        Assert.Equal(0.5, cosine.Factor(5, 10), 15);
        Assert.Equal(0.0, cosine.Factor(10, 10), 15);
        Assert.Equal(0.0, cosine.Factor(12, 10), 15);         // past the end (a resume with fewer epochs) stays at 0
        Assert.Equal(0.5, S(LearningRateShape.Cosine, warmup: 2).Factor(7, 12), 15);   // ½(1 + cos(π · 5/10))
        Assert.Equal(1.0 / 3, S(LearningRateShape.Cosine, warmup: 3).Factor(0, 12), 15);
    }

    [Fact]
    public void BadSchedulesAreRefusedByName()
    {
        Assert.Equal("WarmupSteps", Assert.Throws<ArgumentOutOfRangeException>(() => S(LearningRateShape.Cosine, -1).Validate()).ParamName);
        Assert.Equal("WarmupSteps", Assert.Throws<ArgumentOutOfRangeException>(
            () => new TrainerOptions { Schedule = S(LearningRateShape.Constant, -3) }.Validate()).ParamName);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => LearningRateSchedule.Parse("linear", 0, "--lr-schedule"));
        Assert.Equal("--lr-schedule", e.ParamName);
        Assert.Contains("inverse-sqrt", e.Message);
        Assert.Equal(LearningRateShape.InverseSqrt, LearningRateSchedule.Parse("Inverse-Sqrt", 7, "x").Shape);
    }

    [Fact]
    public void AnAdamWhoseRateWasSetStepsLikeOneBuiltWithThatRate()
    {
        Tensor Step(Action<Recsys.Training.Adam>? set, double lr)
        {
            var p = new TorchSharp.Modules.Parameter(tensor(new float[] { 1, -2, 3, 0.5f }));
            using var adam = new Recsys.Training.Adam([p], lr);
            set?.Invoke(adam);
            for (int i = 0; i < 3; i++)
            {
                adam.zero_grad();
                using (var loss = (p * p * tensor(new float[] { 1, 2, 3, 4 })).sum()) loss.backward();
                adam.step();
                Assert.True(adam.LastStepFused);
            }
            return p.detach().clone();
        }
        using var set = Step(a => a.SetLearningRate(0.01), 0.1);
        using var built = Step(null, 0.01);
        using var other = Step(null, 0.1);
        Assert.Equal(built.data<float>().ToArray(), set.data<float>().ToArray());
        Assert.NotEqual(other.data<float>().ToArray(), set.data<float>().ToArray());
    }

    private static readonly (Recsys.Data.InteractionMatrix Train, Recsys.Data.InteractionMatrix Test) Data = TinyData.Communities();

    private static TrainerOptions Opts(LearningRateSchedule? schedule) => new()
    {
        Epochs = 3, BatchSize = 16, LearningRate = 0.01, Reg = 1e-4, EvalEvery = 0, Patience = 0, Seed = 3, Device = DeviceChoice.Cpu, Schedule = schedule,
    };

    private static float[] Users(string dir) => Recsys.IO.EmbeddingFile.Read(new RunFolder(dir).UserEmbeddingsFile, out _, out _);

    [Fact]
    public void TheTrainerStepsWithTheScheduleAndResumesExactly()
    {
        var (train, _) = Data;
        var model = new MfOptions { Dim = 8 };
        string Train(LearningRateSchedule? schedule)
        {
            var dir = TestPaths.NewTempDir();
            Tc.Trainer().Train(train, "c", model, Opts(schedule), dir);
            return dir;
        }
        var none = Train(null);
        Assert.Equal(Users(none), Users(Train(S(LearningRateShape.Constant))));   // constant without warm-up = no schedule, bitwise
        var cosine = Train(S(LearningRateShape.Cosine, warmup: 5));
        Assert.NotEqual(Users(none), Users(cosine));
        Assert.Equal(LearningRateShape.Cosine, new RunFolder(cosine).ReadRecord(Tc.Catalog).Trainer.Schedule!.Shape);

        // Cancelled in epoch 2, then resumed: the same rates at the same steps.
        var dir = TestPaths.NewTempDir();
        using var cts = new CancellationTokenSource();
        var progress = new SyncProgress<TrainingProgress>(p => { if (p.Epoch == 2 && p.Batch >= 8) cts.Cancel(); });
        Assert.True(Tc.Trainer(null, progress).Train(train, "c", model, Opts(S(LearningRateShape.Cosine, warmup: 5)), dir, cts.Token).Cancelled);
        Tc.Trainer().Resume(train, dir);
        Assert.Equal(Users(cosine), Users(dir));
    }

    [Fact]
    public void TrainTakesTheScheduleFromTheCommandLine()
    {
        var data = TrainCommandTests.TinyDatasetFolder();
        var run = Path.Combine(TestPaths.NewTempDir(), "run");
        var r = CliHarness.Run("train", "--data", data, "--model", "mf", "--dim", "4", "--epochs", "1", "--eval-every", "0", "--device", "cpu",
            "--lr-schedule", "inverse-sqrt", "--lr-warmup", "6", "--json", "--out", run);
        Assert.True(r.Code == 0, r.Err);
        var schedule = new RunFolder(run).ReadRecord(Tc.Catalog).Trainer.Schedule!;
        Assert.Equal((LearningRateShape.InverseSqrt, 6), (schedule.Shape, schedule.WarmupSteps));
        Assert.Contains("\"schedule\"", File.ReadAllText(new RunFolder(run).RunJson));

        var plain = Path.Combine(TestPaths.NewTempDir(), "plain");
        Assert.Equal(0, CliHarness.Run("train", "--data", data, "--model", "mf", "--dim", "4", "--epochs", "1", "--eval-every", "0", "--device", "cpu", "--json", "--out", plain).Code);
        Assert.DoesNotContain("\"schedule\"", File.ReadAllText(new RunFolder(plain).RunJson));   // runs without one read as before

        var resume = CliHarness.Run("train", "--resume", run, "--data", data, "--lr-schedule", "cosine");
        Assert.NotEqual(0, resume.Code);
        Assert.Contains("--lr-schedule cannot be changed when resuming", resume.Err);
        var bad = CliHarness.Run("train", "--data", data, "--model", "mf", "--lr-warmup", "-2", "--out", run + "-bad");
        Assert.NotEqual(0, bad.Code);
        Assert.Contains("--lr-warmup", bad.Err);
        Assert.False(Directory.Exists(run + "-bad"));
    }
}
