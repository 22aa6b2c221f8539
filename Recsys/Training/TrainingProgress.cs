namespace Recsys.Training;

/// <summary>What the trainer is doing.</summary>
public enum TrainingPhase { Training, Evaluating, Checkpointing, Finished }

/// <summary>
/// A progress report: 1-based <see cref="Epoch"/> of <see cref="Epochs"/>, batches done in it, the running mean
/// loss of the epoch, the last finished epoch's seconds and the latest evaluation's metrics (empty before one).
/// </summary>
public sealed record TrainingProgress(
    TrainingPhase Phase,
    int Epoch,
    int Epochs,
    int Batch,
    int BatchesPerEpoch,
    double Loss,
    double LastEpochSeconds,
    IReadOnlyDictionary<string, double> LatestMetrics);
