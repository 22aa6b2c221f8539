using Recsys.Training;
using Recsys.Training.Objectives;
using static TorchSharp.torch;

namespace Recsys.Embeddings.Dnis;

/// <summary>
/// The upper level of DNIS's bi-level search (first order, as DARTS' first-order approximation): on each validation
/// batch, the model's own objective plus λ·Σ|α|, differentiated w.r.t. α only, normalised to unit norm; the α group's
/// Adam steps it and α is clamped back to [0, 1]. The model's weights keep their values (the trainer steps only the α
/// group on this phase's loss, and the returned loss carries no gradient to them). Epochs before the warm start ends
/// draw their batches (so the generator advances the same way) but step nothing.
/// </summary>
internal sealed class DnisSearchPhase(DnisTable table, ITrainingPhase objective, string side) : ITrainingPhase
{
    private bool _active;

    public string Name => "dnis-" + side;
    public string Optimizer => objective.Optimizer;

    public int Begin(ref Xoshiro256 rng)
    {
        int n = objective.Begin(ref rng);
        _active = table.CompletedSearchEpochs >= table.Spec.WarmupEpochs;
        return _active ? n : 0;
    }

    public Tensor Loss(int batch, Device device)
    {
        table.ClampAlpha(); // the previous batch's step may have left [0, 1]
        var alpha = table.Alpha;
        var loss = objective.Loss(batch, device) + table.Spec.L1 * alpha.abs().sum();
        var g = autograd.grad([loss], [alpha])[0];
        var unit = g / (g.norm() + 1e-12);
        // A surrogate whose value is the loss and whose only gradient is the unit-norm one, on α.
        var surrogate = (alpha * unit).sum();
        return surrogate + (loss - surrogate).detach();
    }

    public void End()
    {
        table.ClampAlpha();
        table.CountSearchEpoch();
        objective.End();
    }
}
