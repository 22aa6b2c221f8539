namespace Recsys.Models;

/// <summary>
/// The user tower's view of a history as a batch of fixed-width rows: the last MaxLength items (oldest first, as
/// stored) with weights RecencyDecay^age (age 0 = the most recent item) scaled to sum to 1, so the pooled vector is a
/// weighted mean. Shorter histories are padded with item 0 at weight 0, which adds nothing to the mean and receives no
/// gradient; an empty history has no weight at all and pools to the zero vector.
/// </summary>
internal sealed class HistoryPooling
{
    private readonly int _maxLength;
    private readonly float[] _decay;   // _decay[a] = RecencyDecay^a

    public HistoryPooling(int maxLength, double recencyDecay)
    {
        _maxLength = maxLength;
        _decay = new float[maxLength];
        for (int a = 0; a < maxLength; a++) _decay[a] = (float)Math.Pow(recencyDecay, a);
    }

    /// <summary>Width of a batch's rows: its longest history cut to MaxLength, at least 1.</summary>
    public int Width(IReadOnlyList<int[]> histories)
    {
        int t = 1;
        foreach (var h in histories) t = Math.Max(t, Math.Min(_maxLength, h.Length));
        return t;
    }

    /// <summary>
    /// Item ids [histories.Count × width] and their weights (same shape) of <paramref name="histories"/>; errors
    /// number the histories from <paramref name="first"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">An item id is outside 0..<paramref name="numItems"/> − 1.</exception>
    public (long[] Items, float[] Weights) Rows(IReadOnlyList<int[]> histories, int width, int numItems, int first = 0)
    {
        var items = new long[histories.Count * width];
        var weights = new float[histories.Count * width];
        for (int s = 0; s < histories.Count; s++)
        {
            var h = histories[s];
            int len = Math.Min(width, Math.Min(_maxLength, h.Length)), from = h.Length - len;
            float total = 0;
            for (int a = 0; a < len; a++) total += _decay[a];
            for (int j = 0; j < len; j++)
            {
                int item = h[from + j];
                if ((uint)item >= (uint)numItems)
                    throw new ArgumentOutOfRangeException(nameof(histories), item, $"history {first + s}: item {item} is outside 0..{numItems - 1}.");
                items[s * width + j] = item;
                weights[s * width + j] = _decay[len - 1 - j] / total;
            }
        }
        return (items, weights);
    }
}
