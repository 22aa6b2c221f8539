using Recsys.Devices;

namespace Recsys.Training;

/// <summary>
/// How the one <see cref="Trainer"/> runs: BPR sampling, Adam, L2, epochs, evaluation, early stopping, device.
/// Defaults are LightGCN's official settings; each registered model kind gives its paper's (<see cref="Catalog.ModelKind.TrainerDefaults"/>).
/// </summary>
public sealed record TrainerOptions
{
    public int Epochs { get; init; } = 1000;
    public int BatchSize { get; init; } = 2048;
    /// <summary>Adam learning rate.</summary>
    public double LearningRate { get; init; } = 1e-3;
    /// <summary>
    /// How every parameter group's rate moves over the run (<see cref="LearningRateSchedule"/>); null = the base rate
    /// throughout, as runs recorded before schedules existed.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public LearningRateSchedule? Schedule { get; init; }
    /// <summary>L2 weight on the batch's ego embeddings (see Models.BprLoss).</summary>
    public double Reg { get; init; } = 1e-4;
    /// <summary>Uniform negatives drawn per (user, positive) pair.</summary>
    public int Negatives { get; init; } = 1;
    /// <summary>Items negatives are drawn from (all, as the papers; or only items seen in training).</summary>
    public NegativePool NegativePool { get; init; } = NegativePool.AllItems;
    /// <summary>How an epoch's (user, positive) pairs are drawn; runs recorded before this option read as Interactions.</summary>
    public PairSampling Sampling { get; init; } = PairSampling.Interactions;
    /// <summary>Evaluate every N epochs (and after the last); 0 = never.</summary>
    public int EvalEvery { get; init; } = 20;
    /// <summary>Stop after this many evaluations without improvement of the primary metric; 0 = never stop early.</summary>
    public int Patience { get; init; } = 10;
    /// <summary>Write a checkpoint every N epochs (and on cancellation and at the end).</summary>
    public int CheckpointEvery { get; init; } = 1;
    public ulong Seed { get; init; } = 2020;
    /// <summary>Cap on batches per epoch, 0 = a full pass over the training pairs (a cap is for benchmarks and smoke runs).</summary>
    public int MaxBatchesPerEpoch { get; init; }
    /// <summary>
    /// libtorch intra-op threads while training on CPU (restored afterwards); 0 = leave libtorch's setting. Default 1:
    /// a step's libtorch ops are small or memory-bound, the propagation kernels run on .NET's thread pool, and
    /// libtorch's spinning OpenMP workers competing with it doubled the CPU time per LightGCN step on 2 cores.
    /// </summary>
    public int TorchThreads { get; init; } = 1;
    /// <summary>Auto (CUDA when available), Cpu or Cuda (the current CUDA device; the trainer takes no "cuda:N").</summary>
    public DeviceChoice Device { get; init; } = DeviceChoice.Auto;
    /// <summary>
    /// A model state file (model.bin format) the new model starts from instead of its seeded initialisation, e.g. the
    /// pruned weights of a DNIS search that the fine-tuning stage continues from; null = the seeded initialisation.
    /// A resume ignores it (the checkpoint holds the weights).
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? InitialWeights { get; init; }

    public void Validate()
    {
        if (Epochs < 0) throw new ArgumentOutOfRangeException(nameof(Epochs), Epochs, "must be ≥ 0.");
        if (BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "must be ≥ 1.");
        if (!(LearningRate > 0) || !double.IsFinite(LearningRate)) throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "must be positive and finite.");
        Schedule?.Validate();
        if (!(Reg >= 0) || !double.IsFinite(Reg)) throw new ArgumentOutOfRangeException(nameof(Reg), Reg, "must be finite and ≥ 0.");
        if (Negatives < 1) throw new ArgumentOutOfRangeException(nameof(Negatives), Negatives, "must be ≥ 1.");
        if (EvalEvery < 0) throw new ArgumentOutOfRangeException(nameof(EvalEvery), EvalEvery, "must be ≥ 0.");
        if (Patience < 0) throw new ArgumentOutOfRangeException(nameof(Patience), Patience, "must be ≥ 0.");
        if (MaxBatchesPerEpoch < 0) throw new ArgumentOutOfRangeException(nameof(MaxBatchesPerEpoch), MaxBatchesPerEpoch, "must be ≥ 0.");
        if (TorchThreads < 0) throw new ArgumentOutOfRangeException(nameof(TorchThreads), TorchThreads, "must be ≥ 0.");
        if (CheckpointEvery < 1) throw new ArgumentOutOfRangeException(nameof(CheckpointEvery), CheckpointEvery, "must be ≥ 1.");
        if (Device.CudaIndex is not null) throw new ArgumentOutOfRangeException(nameof(Device), Device.ToString(), "expected auto, cpu or cuda.");
    }
}
