using System.Text.Json;
using Recsys.IO;
using Recsys.Catalog;
using static TorchSharp.torch;

namespace Recsys.Training;

/// <summary>
/// Where training stands, enough to continue bit-for-bit: completed epochs, the next batch of the current
/// epoch, the sampler state at the start of the current epoch (the epoch's triples are re-drawn from it),
/// the model's own dropout generator, the epoch's running loss and seconds, and early-stopping counters.
/// </summary>
public sealed record TrainingState
{
    public int Epoch { get; init; }
    public int NextBatch { get; init; }
    public required ulong[] EpochStartRng { get; init; }
    public byte[]? ModelRng { get; init; }
    public double LossSum { get; init; }
    public double PartialSeconds { get; init; }
    public int BadEvaluations { get; init; }
    /// <summary>Index of the phase <see cref="NextBatch"/> belongs to (0 in checkpoints written before phases).</summary>
    public int Phase { get; init; }
    /// <summary>The first phase's loss sum of the epoch, when the checkpoint was taken in a later phase.</summary>
    public double MainLoss { get; init; }
}

/// <summary>
/// The run folder's <c>checkpoint/</c>: <c>model.bin</c>, <c>optimizer.bin</c> (Adam moments and step counts of the
/// first parameter group; <c>optimizer.NAME.bin</c> for further groups), <c>state.json</c> (<see cref="TrainingState"/>),
/// the <c>run.json</c> as of the checkpoint and <c>checksums.json</c> (SHA-256 of each of them, verified before a resume
/// reads anything). The folder is built beside the old one and swapped in, so a crash leaves the previous checkpoint intact.
/// </summary>
public static class Checkpoint
{
    public const string ChecksumsFile = "checksums.json";

    public static void Write(string dir, nn.Module model, Optimizers optimizers, TrainingState state, RunRecord record, RecsysCatalog catalog)
    {
        AtomicFile.WriteFolder(dir, tmp =>
        {
            RunFolder.WriteModule(Path.Combine(tmp, "model.bin"), model);
            foreach (var (name, optimizer) in optimizers.All)
                using (var fs = File.Create(Path.Combine(tmp, OptimizerFile(optimizers, name))))
                using (var w = new BinaryWriter(fs))
                    optimizer.save_state_dict(w);
            File.WriteAllText(Path.Combine(tmp, "state.json"), JsonSerializer.Serialize(state, RecordJson.Base));
            File.WriteAllText(Path.Combine(tmp, "run.json"), record.ToJson(catalog));
            FileChecksums.Write(tmp, ChecksumsFile);
        }, overwrite: true);
    }

    /// <summary>The state and run record stored in <paramref name="dir"/>, after verifying every file's checksum.</summary>
    public static (TrainingState State, RunRecord Record) Read(string dir, RecsysCatalog catalog)
    {
        var statePath = Path.Combine(dir, "state.json");
        if (!File.Exists(statePath)) throw new FileNotFoundException($"{statePath}: no checkpoint to resume from.", statePath);
        FileChecksums.Verify(dir, ChecksumsFile);
        TrainingState? state;
        try { state = JsonSerializer.Deserialize<TrainingState>(File.ReadAllText(statePath), RecordJson.Base); }
        catch (JsonException e) { throw new Data.DataFormatException(statePath, 0, null, $"not a training state ({e.Message})."); }
        if (state is null) throw new Data.DataFormatException(statePath, 0, null, "empty state.");
        var runPath = Path.Combine(dir, "run.json");
        return (state, RunRecord.FromJson(File.ReadAllText(runPath), runPath, catalog));
    }

    /// <summary>Loads the checkpoint's weights and optimizer states into freshly built ones.</summary>
    public static void Load(string dir, nn.Module model, Optimizers optimizers)
    {
        RunFolder.LoadModule(Path.Combine(dir, "model.bin"), model);
        foreach (var (name, optimizer) in optimizers.All)
        {
            var path = Path.Combine(dir, OptimizerFile(optimizers, name));
            if (!File.Exists(path)) throw new FileNotFoundException($"{path}: the checkpoint has no optimizer state for parameter group '{name}'.", path);
            try
            {
                using var fs = File.OpenRead(path);
                using var r = new BinaryReader(fs);
                optimizer.load_state_dict(r);
            }
            catch (Exception e) when (e is EndOfStreamException or ArgumentException or InvalidOperationException)
            {
                throw new Data.DataFormatException(path, 0, null, $"unreadable optimizer state ({e.Message}).");
            }
        }
    }

    private static string OptimizerFile(Optimizers optimizers, string name) =>
        optimizers.All[0].Name == name ? "optimizer.bin" : $"optimizer.{name}.bin";
}
