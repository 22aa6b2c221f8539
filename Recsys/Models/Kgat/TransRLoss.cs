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
    /// <summary>The definition, one gathered W_r per triple (KGAT-pytorch's way): clear, but a [B, d, k] gather per batch.</summary>
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
        return FromProjected(rh, relations, rp, rn, reg);
    }

    /// <summary>
    /// The same loss for a batch whose triples are ordered by relation: each run of one relation is projected with a
    /// single [3n, d] × [d, k] matmul against W_r, so no [B, d, k] tensor is gathered (nor scattered back by the backward).
    /// </summary>
    /// <param name="heads">e_h [B, d], rows ordered by relation</param>
    /// <param name="relations">e_r [B, k], same order</param>
    /// <param name="positiveTails">e_t⁺ [B, d]</param>
    /// <param name="negativeTails">e_t⁻ [B, d]</param>
    /// <param name="projections">every relation's W_r [R, d, k]</param>
    /// <param name="runs">(relation, first row, row count) of each run, covering the batch in order</param>
    /// <param name="reg">L2 weight</param>
    public static Tensor ComputeGrouped(Tensor heads, Tensor relations, Tensor positiveTails, Tensor negativeTails, Tensor projections,
                                        IReadOnlyList<RelationRun> runs, double reg)
    {
        long d = heads.shape[1], k = projections.shape[2];
        var x = stack([heads, positiveTails, negativeTails], 1);              // [B, 3, d]
        var w = projections.unbind(0);                                         // backward: one stack, not R scatters
        var parts = new Tensor[runs.Count];
        for (int i = 0; i < runs.Count; i++)
        {
            var run = runs[i];
            parts[i] = x.narrow(0, run.Start, run.Count).reshape(-1, d).matmul(w[run.Relation]).reshape(run.Count, 3, k);
        }
        var y = parts.Length == 1 ? parts[0] : cat(parts, 0);                  // [B, 3, k]
        return FromProjected(y.select(1, 0), relations, y.select(1, 1), y.select(1, 2), reg);
    }

    private static Tensor FromProjected(Tensor rh, Tensor relations, Tensor rp, Tensor rn, double reg)
    {
        var pos = (rh + relations - rp).pow(2).sum(1);
        var neg = (rh + relations - rn).pow(2).sum(1);
        var loss = nn.functional.softplus(pos - neg).mean();
        if (reg == 0) return loss;
        var l2 = HalfSquaredMean(rh) + HalfSquaredMean(relations) + HalfSquaredMean(rp) + HalfSquaredMean(rn);
        return loss + l2 * reg;
    }

    private static Tensor HalfSquaredMean(Tensor x) => (x.pow(2).sum(1) / 2).mean();
}
