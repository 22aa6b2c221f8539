using Recsys.Models;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Recsys.Training;

/// <summary>Runs a model's <see cref="IAuxiliaryPhase"/> for one epoch with the trainer's optimizer: one dispose scope and one step per batch.</summary>
public static class AuxiliaryPhaseRunner
{
    /// <summary>Runs every batch of the phase; returns the mean phase loss (0 when it has no batches).</summary>
    public static double RunEpoch(IAuxiliaryPhase phase, OptimizerHelper optimizer, ref Xoshiro256 rng, Device device)
    {
        int batches = phase.BeginPhase(ref rng);
        double sum = 0;
        for (int b = 0; b < batches; b++)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            var loss = phase.PhaseLoss(b, device);
            loss.backward();
            optimizer.step();
            sum += loss.item<float>();
        }
        phase.EndPhase();
        return batches == 0 ? 0 : sum / batches;
    }
}
