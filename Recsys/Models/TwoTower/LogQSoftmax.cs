using static TorchSharp.torch;

namespace Recsys.Models;

/// <summary>
/// In-batch sampled softmax with log-Q correction (Yi et al., "Sampling-Bias-Corrected Neural Modeling for Large
/// Corpus Item Recommendations", RecSys 2019). Example i's positive is column i; the other examples' targets are its
/// negatives. Because those negatives are drawn in proportion to how often an item is a target, popular items would
/// be over-penalised; subtracting log Q_j (item j's share of the training targets) from column j makes the sampled
/// softmax an unbiased estimate of the full one:
/// <code>
/// logit[i, j] = u_i · v_j / τ − log Q_j;   loss = mean_i ( logsumexp_j logit[i, j] − logit[i, i] )
/// </code>
/// A column whose item equals row i's target (a duplicate in the batch, j ≠ i) is masked: it is the positive again,
/// not a negative.
/// </summary>
public static class LogQSoftmax
{
    /// <summary>
    /// Mean loss of <paramref name="users"/> [B, D] against <paramref name="items"/> [B, D] (row i = example i's target
    /// item vector); <paramref name="targets"/> are the B target ids (for the duplicate mask) and
    /// <paramref name="logQ"/> the B values log Q of those targets (zeros: no correction).
    /// </summary>
    public static Tensor Loss(Tensor users, Tensor items, long[] targets, float[] logQ, double temperature)
    {
        ArgumentNullException.ThrowIfNull(users);
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(logQ);
        long b = users.shape[0];
        if (items.shape[0] != b || targets.Length != b || logQ.Length != b)
            throw new ArgumentException($"users, items, targets and logQ must all have {b} rows.", nameof(items));
        var device = users.device;
        var t = tensor(targets, device: device);
        var duplicate = t.unsqueeze(1).eq(t.unsqueeze(0)).logical_and(eye(b, dtype: ScalarType.Bool, device: device).logical_not());
        var logits = users.matmul(items.t()).div(temperature) - tensor(logQ, device: device).unsqueeze(0);
        logits = logits.masked_fill(duplicate, double.NegativeInfinity);
        return nn.functional.cross_entropy(logits, arange(b, dtype: ScalarType.Int64, device: device));
    }
}
