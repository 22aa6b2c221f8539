using Recsys.Models;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Recsys.Training;

/// <summary>Runs a model's <see cref="IAuxiliaryPhase"/> for one epoch with the trainer's optimizer: one dispose scope and one step per batch.</summary>
public static class AuxiliaryPhaseRunner
{
    /// <summary>
    /// Runs every batch of the phase; returns the mean phase loss (0 when it has no batches). Gradients are set to
    /// none before and after the phase, so parameters one phase does not use are skipped by Adam in the other phase
    /// (a zeroed gradient would still move them by momentum) — and a run resumed from a checkpoint, which starts
    /// without gradients, steps exactly as an uninterrupted one.
    /// </summary>
    public static double RunEpoch(IAuxiliaryPhase phase, nn.Module module, OptimizerHelper optimizer, ref Xoshiro256 rng, Device device)
    {
        ClearGradients(module);
        int batches = phase.BeginPhase(ref rng);
        double sum = 0;
        for (int b = 0; b < batches; b++)
        {
            using var quiet = GcQuiet.Enter();
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            var loss = phase.PhaseLoss(b, device);
            loss.backward();
            optimizer.step();
            sum += loss.item<float>();
        }
        ClearGradients(module);
        phase.EndPhase();
        return batches == 0 ? 0 : sum / batches;
    }

    private static void ClearGradients(nn.Module module)
    {
        foreach (var p in module.parameters())
        {
            p.grad?.Dispose();
            p.grad = null;
        }
    }
}
