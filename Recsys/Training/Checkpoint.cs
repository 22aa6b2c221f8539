using System.Text.Json;
using Recsys.IO;
using TorchSharp.Modules;
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
}

/// <summary>
/// The run folder's <c>checkpoint/</c>: <c>model.bin</c>, <c>optimizer.bin</c> (Adam moments and step counts),
/// <c>state.json</c> (<see cref="TrainingState"/>) and the <c>run.json</c> as of the checkpoint. The folder is
/// built beside the old one and swapped in, so a crash leaves the previous checkpoint intact.
/// </summary>
public static class Checkpoint
{
    public static void Write(string dir, nn.Module model, OptimizerHelper optimizer, TrainingState state, RunRecord record)
    {
        AtomicFile.WriteFolder(dir, tmp =>
        {
            RunFolder.WriteModule(Path.Combine(tmp, "model.bin"), model);
            using (var fs = File.Create(Path.Combine(tmp, "optimizer.bin")))
            using (var w = new BinaryWriter(fs))
                optimizer.save_state_dict(w);
            File.WriteAllText(Path.Combine(tmp, "state.json"), JsonSerializer.Serialize(state, RunRecord.Json));
            File.WriteAllText(Path.Combine(tmp, "run.json"), record.ToJson());
        }, overwrite: true);
    }

    /// <summary>The state and run record stored in <paramref name="dir"/>.</summary>
    public static (TrainingState State, RunRecord Record) Read(string dir)
    {
        var statePath = Path.Combine(dir, "state.json");
        if (!File.Exists(statePath)) throw new FileNotFoundException($"{statePath}: no checkpoint to resume from.", statePath);
        var state = JsonSerializer.Deserialize<TrainingState>(File.ReadAllText(statePath), RunRecord.Json)
                    ?? throw new Data.DataFormatException(statePath, 0, null, "empty state.");
        var runPath = Path.Combine(dir, "run.json");
        return (state, RunRecord.FromJson(File.ReadAllText(runPath), runPath));
    }

    /// <summary>Loads the checkpoint's weights and optimizer state into freshly built ones.</summary>
    public static void Load(string dir, nn.Module model, OptimizerHelper optimizer)
    {
        RunFolder.LoadModule(Path.Combine(dir, "model.bin"), model);
        using var fs = File.OpenRead(Path.Combine(dir, "optimizer.bin"));
        using var r = new BinaryReader(fs);
        optimizer.load_state_dict(r);
    }
}
