using Recsys.Data;
using Recsys.Devices;
using Recsys.Models;
using Recsys.Tests.Infrastructure;
using Recsys.Tests.IO;
using Recsys.Training;

namespace Recsys.Tests.Training;

/// <summary>
/// Seeded random damage to a run folder's run.json and to a checkpoint (its checksum manifest removed, so the readers
/// themselves meet the damage): every case reads or ends in a <see cref="DataFormatException"/> /
/// <see cref="InvalidDataException"/> (exit 2 in the CLI), never another exception, never a large allocation.
/// </summary>
public class RunFolderFuzzTests
{
    private const int Cases = 1500;
    private const long MaxBytesPerCase = 64L << 20;

    private static string TrainedRun()
    {
        var (train, _) = TinyData.Communities();
        var dir = TestPaths.NewTempDir();
        Tc.Trainer().Train(train, "c", new LightGcnOptions { Dim = 4, Layers = 1 },
            new TrainerOptions { Epochs = 1, BatchSize = 64, EvalEvery = 1, Seed = 1, Device = DeviceChoice.Cpu }, dir);
        return dir;
    }

    private static void Fuzz(int seed, string file, Action read, int cases = Cases)
    {
        var original = File.ReadAllBytes(file);
        read();
        var rng = new Random(seed);
        int rejected = 0;
        for (int c = 0; c < cases; c++)
        {
            var mutated = FuzzMutator.Mutate(original, rng);
            File.WriteAllBytes(file, mutated);
            long before = GC.GetAllocatedBytesForCurrentThread();
            try { read(); }
            catch (Exception e) when (e is DataFormatException or InvalidDataException) { rejected++; }
            catch (Exception e) { Assert.Fail($"case {c} (seed {seed}, {Path.GetFileName(file)}): {e.GetType().Name}: {e.Message}"); }
            long used = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.True(used < MaxBytesPerCase, $"case {c} (seed {seed}) allocated {used >> 20} MiB");
        }
        File.WriteAllBytes(file, original);
        Assert.True(rejected > 0);
    }

    [Fact]
    public void RunJson()
    {
        var run = new RunFolder(TrainedRun());
        Fuzz(11, run.RunJson, () => run.ReadRecord(Tc.Catalog));
    }

    [Theory]
    [InlineData("state.json")]
    [InlineData("run.json")]
    public void CheckpointRecords(string file)
    {
        var run = new RunFolder(TrainedRun());
        File.Delete(Path.Combine(run.CheckpointDir, Checkpoint.ChecksumsFile));
        Fuzz(12, Path.Combine(run.CheckpointDir, file), () => Checkpoint.Read(run.CheckpointDir, Tc.Catalog));
    }

    [Fact]
    public void TruncatedModelStateNamesTheFile()
    {
        var dir = TrainedRun();
        var run = new RunFolder(dir);
        File.Delete(Path.Combine(run.CheckpointDir, Checkpoint.ChecksumsFile));
        var file = Path.Combine(run.CheckpointDir, "model.bin");
        var original = File.ReadAllBytes(file);
        var (train, _) = TinyData.Communities();
        foreach (var keep in new[] { 0, 1, 7, original.Length / 4, original.Length / 2, original.Length - 1 })
        {
            File.WriteAllBytes(file, original[..keep]);
            var e = Assert.Throws<DataFormatException>(() => Tc.Trainer().Resume(train, dir, epochs: 2));
            Assert.Contains("model.bin", e.Message);
        }
    }
}
