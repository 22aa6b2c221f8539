using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Recsys.Embeddings.Dnis;

/// <summary>
/// DARTS' second-order gradient of the validation loss w.r.t. α (Liu et al. 2019, eqs. 6–8), which DNIS offers beside
/// the first-order one: the weights take one virtual SGD step on a training batch, w' = w − ξ·∇_w L_train(w, α), and
/// the gradient is ∇_α L_val(w', α) − ξ·∇²_{α,w} L_train(w, α)·∇_{w'} L_val(w', α), the mixed second derivative applied
/// by central differences: [∇_α L_train(w⁺, α) − ∇_α L_train(w⁻, α)] / 2ε with w± = w ± ε·∇_{w'} L_val(w', α),
/// ε = 0.01 / ‖∇_{w'} L_val‖. The weights are copied back afterwards, bit for bit.
/// </summary>
public static class UnrolledAlphaGradient
{
    /// <param name="alpha">The α being searched.</param>
    /// <param name="weights">The weights the virtual step moves (the model's default group).</param>
    /// <param name="xi">ξ, the virtual step's learning rate.</param>
    /// <param name="train">The training loss of one fixed batch at the weights' current values (called three times).</param>
    /// <param name="valid">The validation loss of one batch (called once, at w').</param>
    /// <returns>L_val(w', α) (no gradient attached) and the gradient w.r.t. α.</returns>
    public static (Tensor Loss, Tensor Gradient) Compute(Parameter alpha, IReadOnlyList<Parameter> weights, double xi, Func<Tensor> train, Func<Tensor> valid)
    {
        var saved = weights.Select(w => w.detach().clone()).ToArray();
        try
        {
            Parameter[] w = [.. weights];
            var trainGrads = autograd.grad([Touching(train(), w)], w);
            using (no_grad())
                for (int i = 0; i < w.Length; i++) w[i].sub_(trainGrads[i] * xi);

            var lossAtStep = valid();
            var grads = autograd.grad([Touching(lossAtStep, w)], [alpha, .. w]);
            var direct = grads[0];
            var v = grads.Skip(1).ToArray();
            double norm = Math.Sqrt(v.Sum(g => g.square().sum().item<float>()));
            if (!(norm > 0) || !double.IsFinite(norm)) return (lossAtStep.detach(), direct);
            double eps = 0.01 / norm;

            Tensor AlphaGradAt(double sign)
            {
                using (no_grad())
                    for (int i = 0; i < w.Length; i++) w[i].copy_(saved[i]).add_(v[i] * (sign * eps));
                return autograd.grad([train()], [alpha])[0];
            }
            var plus = AlphaGradAt(+1);
            var minus = AlphaGradAt(-1);
            return (lossAtStep.detach(), direct - (plus - minus) * (xi / (2 * eps)));
        }
        finally
        {
            using (no_grad())
                for (int i = 0; i < weights.Count; i++) weights[i].copy_(saved[i]);
        }
    }

    // A weight the loss does not read (a KGAT relation table in the BPR loss) would make autograd.grad throw; a zero
    // term gives it a zero gradient instead.
    private static Tensor Touching(Tensor loss, Parameter[] weights) =>
        weights.Aggregate(loss, (l, w) => l + w.sum() * 0);
}
