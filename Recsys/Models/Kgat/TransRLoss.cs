using static TorchSharp.torch;

namespace Recsys.Models;

/// <summary>
/// KGAT's knowledge-graph embedding loss: TransR plausibility g(h, r, t) = ‖W_r e_h + e_r − W_r e_t‖² (Lin et al. 2015)
/// with BPR over a corrupted tail (Wang et al. KDD 2019, eq. 1–2), plus KGAT-pytorch's L2 term:
/// <code>
/// loss = mean_b softplus(g(h, r, t⁺) − g(h, r, t⁻))
///      + reg · mean_b ½ (‖W_r e_h‖² + ‖e_r‖² + ‖W_r e_t⁺‖² + ‖W_r e_t⁻‖²)
/// </code>
/// Row-vector convention as KGAT-pytorch: W_r e is computed as eᵀ W_r with W_r of shape [d, k].
/// </summary>
public static class TransRLoss
{
    /// <param name="heads">e_h [B, d]</param>
    /// <param name="relations">e_r [B, k]</param>
    /// <param name="positiveTails">e_t⁺ [B, d]</param>
    /// <param name="negativeTails">e_t⁻ [B, d]</param>
    /// <param name="projections">W_r per triple [B, d, k]</param>
    /// <param name="reg">L2 weight</param>
    public static Tensor Compute(Tensor heads, Tensor relations, Tensor positiveTails, Tensor negativeTails, Tensor projections, double reg)
    {
        var rh = bmm(heads.unsqueeze(1), projections).squeeze(1);            // [B, k]
        var rp = bmm(positiveTails.unsqueeze(1), projections).squeeze(1);
        var rn = bmm(negativeTails.unsqueeze(1), projections).squeeze(1);
        var pos = (rh + relations - rp).pow(2).sum(1);
        var neg = (rh + relations - rn).pow(2).sum(1);
        var loss = nn.functional.softplus(pos - neg).mean();
        if (reg == 0) return loss;
        var l2 = HalfSquaredMean(rh) + HalfSquaredMean(relations) + HalfSquaredMean(rp) + HalfSquaredMean(rn);
        return loss + l2 * reg;
    }

    private static Tensor HalfSquaredMean(Tensor x) => (x.pow(2).sum(1) / 2).mean();
}
