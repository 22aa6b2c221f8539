using static TorchSharp.torch;

namespace Recsys.Training.Objectives;

/// <summary>
/// One part of a model's training objective that the <see cref="Trainer"/> runs every epoch, in the order the model
/// lists its phases: its batch source (drawn at the start of the phase from the epoch's generator) and the loss of
/// each batch. BPR pairs (<see cref="BprPhase"/>), KGAT's TransR triples, user sequences with a softmax, ranking
/// losses, or batches drawn from the validation split for a bi-level search are all phases; each names the
/// <see cref="ParameterGroup"/> whose optimizer steps on its gradients.
/// </summary>
public interface ITrainingPhase
{
    /// <summary>Short name for reports ("bpr", "transr").</summary>
    string Name { get; }

    /// <summary>The parameter group (and so the optimizer) this phase steps.</summary>
    string Optimizer { get; }

    /// <summary>
    /// Draws this epoch's batches from <paramref name="rng"/> (advancing it; an epoch must be a pure function of the
    /// generator's state, so a resumed run draws the same batches) and returns how many there are.
    /// </summary>
    int Begin(ref Xoshiro256 rng);

    /// <summary>Scalar loss of batch <paramref name="batch"/> on <paramref name="device"/>; tensors belong to the caller's dispose scope.</summary>
    Tensor Loss(int batch, Device device);

    /// <summary>After the phase's last batch (KGAT refreshes its attention here).</summary>
    void End();
}
