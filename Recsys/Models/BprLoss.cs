using static TorchSharp.torch;

namespace Recsys.Models;

/// <summary>
/// BPR loss with the L2 term of the LightGCN code (Rendle et al. 2009; He et al. 2020):
/// <code>
/// loss = mean over (b, k) of softplus(s(u_b, n_bk) − s(u_b, p_b))                         (= −ln σ(s⁺ − s⁻))
///      + reg · ½ (‖U⁰_B‖² + ‖P⁰_B‖² + Σ_k ‖N⁰_Bk‖²) / B
/// </code>
/// where s is the dot product of the final embeddings, U⁰, P⁰, N⁰ are the batch's ego (layer-0 table) rows,
/// ‖·‖² is the squared Frobenius norm over the batch and B the number of pairs.
/// </summary>
public static class BprLoss
{
    /// <param name="users">final user rows [B, d]</param>
    /// <param name="positives">final positive item rows [B, d]</param>
    /// <param name="negatives">final negative item rows [B·K, d], pair-major</param>
    /// <param name="users0">ego user rows [B, d0]</param>
    /// <param name="positives0">ego positive rows [B, d0]</param>
    /// <param name="negatives0">ego negative rows [B·K, d0]</param>
    /// <param name="reg">L2 weight</param>
    public static Tensor Compute(Tensor users, Tensor positives, Tensor negatives,
                                 Tensor users0, Tensor positives0, Tensor negatives0, double reg)
    {
        long b = users.shape[0], d = users.shape[1];
        long k = negatives.shape[0] / b;
        var pos = (users * positives).sum(1);                                    // [B]
        var neg = (users.unsqueeze(1) * negatives.view(b, k, d)).sum(2);         // [B, K]
        var bpr = nn.functional.softplus(neg - pos.unsqueeze(1)).mean();
        if (reg == 0) return bpr;
        var l2 = users0.pow(2).sum() + positives0.pow(2).sum() + negatives0.pow(2).sum();
        return bpr + l2 * (0.5 * reg / b);
    }
}
