using Recsys.Training;
using static TorchSharp.torch;

namespace Recsys.Models;

/// <summary>
/// A second loss that a model trains in alternation with its BPR loss, one phase per epoch after the BPR batches
/// (KGAT's TransR phase, Wang et al. KDD 2019 §3.4). The <see cref="Trainer"/> runs the phase's batches with its own
/// optimizer (see <see cref="AuxiliaryPhaseRunner"/>), so alternating phases are a Trainer feature, not a second loop.
/// </summary>
public interface IAuxiliaryPhase
{
    /// <summary>Short name for reports ("transr").</summary>
    string PhaseName { get; }

    /// <summary>Draws this epoch's samples from <paramref name="rng"/> (advancing it) and returns the number of batches.</summary>
    int BeginPhase(ref Xoshiro256 rng);

    /// <summary>Scalar loss of batch <paramref name="batch"/> of the current phase; tensors belong to the caller's dispose scope.</summary>
    Tensor PhaseLoss(int batch, Device device);

    /// <summary>After the phase's last step (KGAT refreshes its attention here, as the paper does once per epoch).</summary>
    void EndPhase();
}
