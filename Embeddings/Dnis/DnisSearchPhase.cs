using Recsys.Training;
using Recsys.Training.Objectives;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Recsys.Embeddings.Dnis;

/// <summary>
/// The upper level of DNIS's bi-level search: on each validation batch, the model's own objective plus λ·Σ|α|,
/// differentiated w.r.t. α only — first order (DARTS' first-order approximation: the gradient at the current weights)
/// or, with <see cref="Unrolled"/>, second order (<see cref="UnrolledAlphaGradient"/>: through one virtual weight step
/// on a training batch) — normalised (<see cref="DnisTableSpec.GradientNorm"/>); the α group's optimizer (Adam or
/// SGD) steps it and α is clamped back to [0, 1]. The
/// model's weights keep their values (the trainer steps only the α group on this phase's loss, the returned loss
/// carries no gradient to them, and the virtual step is undone). Epochs before the warm start ends draw their batches
/// (so the generator advances the same way) but step nothing.
/// </summary>
internal sealed class DnisSearchPhase(DnisTable table, ITrainingPhase objective, string side, DnisSearchPhase.Unrolled? unrolled = null) : ITrainingPhase
{
    /// <summary>What the second-order gradient needs: the model's training phase, the weights it steps, and ξ.</summary>
    internal sealed record Unrolled(ITrainingPhase Training, IReadOnlyList<Parameter> Weights, double LearningRate);

    private bool _active;
    private int _trainingBatches;

    public string Name => "dnis-" + side;
    public string Optimizer => objective.Optimizer;

    public int Begin(ref Xoshiro256 rng)
    {
        int n = objective.Begin(ref rng);
        if (unrolled is not null) _trainingBatches = unrolled.Training.Begin(ref rng);
        _active = table.CompletedSearchEpochs >= table.Spec.WarmupEpochs;
        return _active && (unrolled is null || _trainingBatches > 0) ? n : 0;
    }

    public Tensor Loss(int batch, Device device)
    {
        table.ClampAlpha(); // the previous batch's step may have left [0, 1]
        var alpha = table.Alpha;
        var l1 = table.Spec.L1 * alpha.abs().sum();
        Tensor loss, g;
        if (unrolled is null)
        {
            loss = objective.Loss(batch, device) + l1;
            g = autograd.grad([loss], [alpha])[0];
        }
        else
        {
            int trainingBatch = batch % _trainingBatches; // validation batches are far fewer; each takes its own training batch
            var (valid, grad) = UnrolledAlphaGradient.Compute(alpha, unrolled.Weights, unrolled.LearningRate,
                () => unrolled.Training.Loss(trainingBatch, device), () => objective.Loss(batch, device));
            loss = valid + l1;
            g = grad + autograd.grad([l1], [alpha])[0];
        }
        var unit = table.Spec.GradientNorm == DnisGradientNorm.PerBlock ? g / (g.abs().mean([1], keepdim: true) + 1e-12) : g / (g.norm() + 1e-12);
        // A surrogate whose value is the loss and whose only gradient is the normalised one, on α.
        var surrogate = (alpha * unit).sum();
        return surrogate + (loss - surrogate).detach();
    }

    public void End()
    {
        table.ClampAlpha();
        table.CountSearchEpoch();
        objective.End();
        unrolled?.Training.End();
    }
}
