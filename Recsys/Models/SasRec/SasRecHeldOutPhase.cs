using Recsys.Data;
using Recsys.Training;
using Recsys.Training.Objectives;
using static TorchSharp.torch;

namespace Recsys.Models;

/// <summary>
/// SASRec's objective on held-out examples (<see cref="HeldOutExamples"/>: the validation split, for DNIS's α step):
/// each (user, item) pair is the window of the user's last MaxLength training items followed by the held-out item,
/// and only that final item is a target (cross-entropy over all items, or BCE against one negative drawn in
/// <see cref="Begin"/> uniformly among items neither in the user's history nor the target). Batches of
/// <see cref="TrainerOptions.BatchSize"/> examples, capped by <see cref="TrainerOptions.MaxBatchesPerEpoch"/>; it steps
/// the group <c>optimizer</c> names.
/// </summary>
public sealed class SasRecHeldOutPhase : ITrainingPhase
{
    private readonly SasRec _model;
    private readonly HeldOutExamples _examples;
    private readonly int _batchSize, _maxBatches;
    private int[][] _negatives = [];

    public SasRecHeldOutPhase(SasRec model, InteractionMatrix heldOut, TrainerOptions options, string optimizer)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        _model = model; _batchSize = options.BatchSize; _maxBatches = options.MaxBatchesPerEpoch; Optimizer = optimizer;
        _examples = new HeldOutExamples(heldOut, u => model.History(u).Length);
    }

    public string Name => "sasrec-heldout";
    public string Optimizer { get; }

    /// <summary>Examples per epoch before the batch cap.</summary>
    public int Examples => _examples.Count;

    public int Begin(ref Xoshiro256 rng)
    {
        int batches = _examples.Begin(ref rng, _batchSize, _maxBatches);
        _negatives = [];
        if (_model.Options.Objective != SasRecObjective.BinaryCrossEntropy) return batches;
        _negatives = new int[batches][];
        for (int b = 0; b < batches; b++)
        {
            var batch = _examples.Batch(b, _batchSize);
            var neg = _negatives[b] = new int[batch.Length];
            for (int k = 0; k < batch.Length; k++)
            {
                var seen = _model.History(batch[k].User);
                if (seen.Length + 1 >= _model.NumItems) { neg[k] = rng.NextInt(_model.NumItems); continue; }
                int item;
                do item = rng.NextInt(_model.NumItems);
                while (item == batch[k].Item || seen.Contains(item));
                neg[k] = item;
            }
        }
        return batches;
    }

    public Tensor Loss(int batch, Device device)
    {
        var examples = _examples.Batch(batch, _batchSize);
        int maxLength = _model.Options.MaxLength;
        var windows = new int[examples.Length][];
        for (int k = 0; k < examples.Length; k++)
        {
            var h = _model.History(examples[k].User);
            windows[k] = [.. h[Math.Max(0, h.Length - maxLength)..], examples[k].Item];
        }
        var negatives = _negatives.Length == 0 ? null : _negatives[batch].Select(n => new[] { n }).ToArray();
        return _model.Loss(windows, negatives, device, finalOnly: true);
    }

    public void End() { }
}
