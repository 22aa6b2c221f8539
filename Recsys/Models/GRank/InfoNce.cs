using static TorchSharp.torch;

namespace Recsys.Models;

/// <summary>The InfoNCE (softmax cross-entropy) terms of GRank's joint loss.</summary>
public static class InfoNce
{
    /// <summary>
    /// Mean over rows of −log softmax(logits / τ)[positive], where entries with <paramref name="excluded"/> true
    /// (false negatives: another column holding the row's own positive item) leave the softmax. logits [B, C],
    /// positives [B] (column index, int64), excluded [B, C] bool or null.
    /// </summary>
    public static Tensor Loss(Tensor logits, Tensor positives, Tensor? excluded, double temperature)
    {
        if (!(temperature > 0)) throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "must be positive.");
        var z = logits / temperature;
        if (excluded is not null) z = z.masked_fill(excluded, double.NegativeInfinity);
        return nn.functional.cross_entropy(z, positives);
    }

    /// <summary>
    /// The false-negative mask [B, C] of in-batch candidates: column c of row b is excluded when candidate c is row b's
    /// positive item but c is not row b's positive column. items [C] (shared by every row) or [B, C] (per row) and
    /// positiveItems [B] are int64 item ids, positiveColumns [B] the positives' columns.
    /// </summary>
    public static Tensor FalseNegatives(Tensor items, Tensor positiveItems, Tensor positiveColumns)
    {
        long c = items.shape[^1];
        var same = (items.dim() == 1 ? items.view(1, c) : items).eq(positiveItems.view(-1, 1));
        var own = arange(c, device: items.device).view(1, c).eq(positiveColumns.view(-1, 1));
        return same.logical_and(own.logical_not());
    }
}
