using Recsys.Catalog;
using Recsys.Cli;
using Recsys.Data;
using Recsys.Data.Synthetic;
using Recsys.Devices;
using Recsys.Models;
using Recsys.Tests.Infrastructure;
using Recsys.Training;

namespace Recsys.Tests.Training;

/// <summary>Run folders under concurrent writers, damaged checkpoints, diverging losses, changed data and interrupted writes.</summary>
public class RunFolderIntegrityTests
{
    private static readonly TrainerOptions Opts = new() { Epochs = 1, BatchSize = 64, LearningRate = 0.01, EvalEvery = 0, Seed = 3, Device = DeviceChoice.Cpu };
    private static readonly MfOptions Mf = new() { Dim = 4 };

    private static (InteractionMatrix Train, string Dir) TrainedRun(int epochs = 1)
    {
        var (train, _) = TinyData.Communities();
        var dir = TestPaths.NewTempDir();
        Tc.Trainer().Train(train, "c", Mf, Opts with { Epochs = epochs }, dir);
        return (train, dir);
    }

    [Fact]
    public void ASecondWriterIsRefusedNamingTheHolder()
    {
        var (train, dir) = TrainedRun();
        using (RunFolderLock.Acquire(dir))
        {
            var e = Assert.Throws<IOException>(() => Tc.Trainer().Resume(train, dir, epochs: 2));
            Assert.Contains("in use by pid " + Environment.ProcessId, e.Message);
            var fresh = TestPaths.NewTempDir();
            using var other = RunFolderLock.Acquire(fresh);
            Assert.Throws<IOException>(() => Tc.Trainer().Train(train, "c", Mf, Opts, fresh));
        }
        Assert.Equal(2, Tc.Trainer().Resume(train, dir, epochs: 2).Record.Epochs.Count); // released with the holder
        Assert.False(File.Exists(Path.Combine(dir, RunFolderLock.FileName)));
    }

    [Theory]
    [InlineData("model.bin")]
    [InlineData("optimizer.bin")]
    [InlineData("state.json")]
    public void DamagedCheckpointFilesAreRefusedByName(string file)
    {
        var (train, dir) = TrainedRun();
        var path = Path.Combine(new RunFolder(dir).CheckpointDir, file);
        var bytes = File.ReadAllBytes(path);
        bytes[bytes.Length / 2] ^= 0x10;
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<DataFormatException>(() => Tc.Trainer().Resume(train, dir, epochs: 2));
        Assert.Contains(file, e.Message);
        Assert.Contains("checksum", e.Message);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 3)]); // truncated
        Assert.Contains(file, Assert.Throws<DataFormatException>(() => Tc.Trainer().Resume(train, dir, epochs: 2)).Message);
    }

    [Fact]
    public void ANonFiniteLossStopsTheRunWithItsEpoch()
    {
        var (train, _) = TinyData.Communities();
        var dir = TestPaths.NewTempDir();
        var e = Assert.Throws<TrainingDivergedException>(() =>
            Tc.Trainer().Train(train, "c", Mf, Opts with { Epochs = 5, LearningRate = 1e30 }, dir));
        Assert.InRange(e.Epoch, 1, 5);
        Assert.Equal("bpr", e.Phase);
        Assert.False(double.IsFinite(e.Loss));
        Assert.Equal(RunStatus.Diverged, new RunFolder(dir).ReadRecord(Tc.Catalog).Status);

        var (code, err) = TrainCommandTestsAccess.RunCli("train", "--data", TinyFolder(), "--model", "mf", "--dim", "4", "--lr", "1e30", "--epochs", "5",
            "--eval-every", "0", "--device", "cpu", "--out", Path.Combine(TestPaths.NewTempDir(), "run"));
        Assert.NotEqual(0, code);
        Assert.Contains("diverged", err);
    }

    [Fact]
    public void NonFiniteOptionsAreRejected()
    {
        Assert.Equal("LearningRate", Assert.Throws<ArgumentOutOfRangeException>(() => (Opts with { LearningRate = double.PositiveInfinity }).Validate()).ParamName);
        Assert.Equal("Reg", Assert.Throws<ArgumentOutOfRangeException>(() => (Opts with { Reg = double.NaN }).Validate()).ParamName);
        Assert.Equal("LeakySlope", Assert.Throws<ArgumentOutOfRangeException>(() => new NgcfOptions { LeakySlope = double.NaN }.Validate()).ParamName);
        var p = KindParameter.Double("x", "", 0, 1);
        Assert.Throws<ArgumentOutOfRangeException>(() => p.Parse("NaN"));
        Assert.Throws<ArgumentOutOfRangeException>(() => p.Parse("Infinity"));
        var (code, err) = TrainCommandTestsAccess.RunCli("train", "--data", TinyFolder(), "--model", "mf", "--lr", "NaN", "--out", Path.Combine(TestPaths.NewTempDir(), "run"));
        Assert.Equal(CliRunner.BadInput, code);
        Assert.Contains("--lr", err);
    }

    [Fact]
    public void ResumeRefusesAChangedValidationSplit()
    {
        var data = SyntheticGenerator.Generate(new SyntheticOptions { Users = 60, Items = 80, Seed = 2 });
        Assert.NotNull(data.Valid);
        var dir = TestPaths.NewTempDir();
        Tc.Trainer().Train(ModelInputs.From(data), Mf, Opts, dir);
        var v = data.Valid!;
        var changed = data with { Valid = new Interactions(v.Users[1..], v.Items[1..]) };
        var e = Assert.Throws<InvalidDataException>(() => Tc.Trainer().Resume(ModelInputs.From(changed), dir, epochs: 2));
        Assert.Contains("validation split", e.Message);
        Assert.Equal(2, Tc.Trainer().Resume(ModelInputs.From(data), dir, epochs: 2).Record.Epochs.Count);
    }

    [Fact]
    public void AFailedStartLeavesNoRunFolder()
    {
        var (train, _) = TinyData.Communities();
        var dir = Path.Combine(TestPaths.NewTempDir(), "run");
        Assert.Throws<InvalidDataException>(() => Tc.Trainer().Train(train, "c", new KgatOptions(), Opts, dir)); // no knowledge graph
        Assert.False(Directory.Exists(dir));
    }

    [Fact]
    public void InterruptedWritesAreTidiedOnTheNextStart()
    {
        var (train, dir) = TrainedRun();
        var run = new RunFolder(dir);
        File.WriteAllText(Path.Combine(dir, ".run.json.0123.tmp"), "half");
        Directory.CreateDirectory(Path.Combine(dir, ".checkpoint.4567.tmp"));
        Directory.Move(run.CheckpointDir, run.CheckpointDir + ".89ab.old"); // a swap cut between its two renames
        var resumed = Tc.Trainer().Resume(train, dir, epochs: 2);
        Assert.Equal(2, resumed.Record.Epochs.Count);
        Assert.Equal(["checkpoint", "item_embeddings.arrow", "model.bin", "run.json", "user_embeddings.arrow"],
            Directory.EnumerateFileSystemEntries(dir).Select(p => Path.GetFileName(p)!).Order().ToArray());
    }

    [Fact]
    public void ARunFolderInsideTheDatasetIsRefused()
    {
        var data = TinyFolder();
        var (code, err) = TrainCommandTestsAccess.RunCli("train", "--data", data, "--model", "mf", "--epochs", "1", "--out", Path.Combine(data, "run"));
        Assert.Equal(CliRunner.BadInput, code);
        Assert.Contains("--out", err);
        Assert.False(Directory.Exists(Path.Combine(data, "run")));
    }

    private static string TinyFolder()
    {
        var dir = Path.Combine(TestPaths.NewTempDir(), "tiny");
        DatasetFolder.Write(SyntheticGenerator.Generate(new SyntheticOptions { Users = 60, Items = 80, Seed = 1 }), dir);
        return dir;
    }
}

/// <summary>Runs the CLI in-process (exit code and stderr).</summary>
internal static class TrainCommandTestsAccess
{
    public static (int Code, string Err) RunCli(params string[] args) { var (code, _, err) = CliHarness.Run(args); return (code, err); }
}
