using Recsys.Data;
using Recsys.Training;
using Recsys.Training.Objectives;
using static TorchSharp.torch;

namespace Recsys.Models;

/// <summary>
/// The two-tower objective on held-out examples (<see cref="HeldOutExamples"/>: the validation split, for DNIS's α
/// step): the user's last MaxLength training items predict the held-out item, with the same log-Q-corrected in-batch
/// softmax as training. Batches of <see cref="TrainerOptions.BatchSize"/> examples (capped by
/// <see cref="TrainerOptions.MaxBatchesPerEpoch"/>); it steps the group <c>optimizer</c> names.
/// </summary>
public sealed class TwoTowerHeldOutPhase : ITrainingPhase
{
    private readonly TwoTower _model;
    private readonly HeldOutExamples _examples;
    private readonly int _batchSize, _maxBatches;

    public TwoTowerHeldOutPhase(TwoTower model, InteractionMatrix heldOut, TrainerOptions options, string optimizer)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        _model = model; _batchSize = options.BatchSize; _maxBatches = options.MaxBatchesPerEpoch; Optimizer = optimizer;
        _examples = new HeldOutExamples(heldOut, u => model.History(u).Length);
    }

    public string Name => "twotower-heldout";
    public string Optimizer { get; }

    public int Begin(ref Xoshiro256 rng) => _examples.Begin(ref rng, _batchSize, _maxBatches);

    public Tensor Loss(int batch, Device device)
    {
        var examples = _examples.Batch(batch, _batchSize);
        int maxLength = _model.Options.MaxLength;
        var histories = new int[examples.Length][];
        var targets = new int[examples.Length];
        var users = new int[examples.Length];
        for (int k = 0; k < examples.Length; k++)
        {
            var h = _model.History(examples[k].User);
            histories[k] = h[Math.Max(0, h.Length - maxLength)..].ToArray();
            targets[k] = examples[k].Item;
            users[k] = examples[k].User;
        }
        return _model.Loss(histories, targets, users, device);
    }

    public void End() { }
}
