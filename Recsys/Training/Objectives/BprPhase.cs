using Recsys.Data;
using Recsys.Models;
using static TorchSharp.torch;

namespace Recsys.Training.Objectives;

/// <summary>
/// The BPR objective as a training phase: each epoch visits the training pairs drawn by <see cref="BprSampler"/>
/// (negatives, pool and pair sampling from <see cref="TrainerOptions"/>) in batches of <see cref="TrainerOptions.BatchSize"/>
/// (capped by <see cref="TrainerOptions.MaxBatchesPerEpoch"/>), with <see cref="TrainerOptions.Reg"/> as the L2 weight.
/// </summary>
public sealed class BprPhase(IBprModel model, InteractionMatrix train, TrainerOptions options, string optimizer = ParameterGroup.Default) : ITrainingPhase
{
    private readonly BprSampler _sampler = new(train, options.Negatives, options.NegativePool, options.Sampling);
    private EpochSamples? _samples;

    public string Name => "bpr";
    public string Optimizer => optimizer;

    public int Begin(ref Xoshiro256 rng)
    {
        _samples = _sampler.SampleEpoch(ref rng);
        int batches = (_samples.Count + options.BatchSize - 1) / options.BatchSize;
        return options.MaxBatchesPerEpoch > 0 ? Math.Min(batches, options.MaxBatchesPerEpoch) : batches;
    }

    public Tensor Loss(int batch, Device device)
    {
        var s = _samples ?? throw new InvalidOperationException("Begin was not called.");
        int start = batch * options.BatchSize, end = Math.Min(s.Count, start + options.BatchSize), k = s.NegativesPerPair;
        var b = new BprBatch(s.Users[start..end], s.Positives[start..end], s.Negatives[(start * k)..(end * k)], device);
        return model.BprLoss(b, options.Reg);
    }

    public void End() => _samples = null;
}
