using Recsys.Data;
using Recsys.Training;
using Recsys.Training.Objectives;
using static TorchSharp.torch;

namespace Recsys.Models;

/// <summary>
/// GRank's joint objective on held-out examples (<see cref="HeldOutExamples"/>: the validation split, for DNIS's α
/// step): each (user, item) pair is the window of the user's last MaxLength training items followed by the held-out
/// item, with the user's last RankerLength training items as the ranker's history; the next-item term uses the final
/// prefix only, so the held-out item is every term's target. Batches of <see cref="TrainerOptions.BatchSize"/>
/// examples (capped by <see cref="TrainerOptions.MaxBatchesPerEpoch"/>), each with RankerNegatives uniform items drawn
/// in <see cref="Begin"/>; it steps the group <c>optimizer</c> names.
/// </summary>
public sealed class GRankHeldOutPhase : ITrainingPhase
{
    private readonly GRank _model;
    private readonly HeldOutExamples _examples;
    private readonly int _batchSize, _maxBatches;
    private int[][] _negatives = [];

    public GRankHeldOutPhase(GRank model, InteractionMatrix heldOut, TrainerOptions options, string optimizer)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        _model = model; _batchSize = options.BatchSize; _maxBatches = options.MaxBatchesPerEpoch; Optimizer = optimizer;
        _examples = new HeldOutExamples(heldOut, u => model.History(u).Length);
    }

    public string Name => "grank-heldout";
    public string Optimizer { get; }

    public int Begin(ref Xoshiro256 rng)
    {
        int batches = _examples.Begin(ref rng, _batchSize, _maxBatches);
        _negatives = _model.DrawRankerNegatives(batches, ref rng);
        return batches;
    }

    public Tensor Loss(int batch, Device device)
    {
        var examples = _examples.Batch(batch, _batchSize);
        var o = _model.Options;
        var windows = new int[examples.Length][];
        var longs = new int[examples.Length][];
        for (int k = 0; k < examples.Length; k++)
        {
            var h = _model.History(examples[k].User);
            windows[k] = [.. h[Math.Max(0, h.Length - o.MaxLength)..], examples[k].Item];
            longs[k] = h[Math.Max(0, h.Length - o.RankerLength)..].ToArray();
        }
        return _model.Loss(windows, longs, _negatives[batch], device, trainedPrefixes: 1);
    }

    public void End() { }
}
