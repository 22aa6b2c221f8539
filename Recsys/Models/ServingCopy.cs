using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Recsys.Models;

/// <summary>What the sequential models' serving copies (user encoders, candidate rankers) share: a CPU copy of trained weights and left-padded history rows.</summary>
internal static class ServingCopy
{
    /// <summary>Copies every state entry of <paramref name="source"/> (any device) into <paramref name="target"/> (CPU) and sets it to eval mode.</summary>
    public static void Weights(nn.Module source, nn.Module target)
    {
        using var _ = no_grad();
        var dst = target.state_dict();
        foreach (var (name, value) in source.state_dict())
            dst[name].copy_(value.detach().cpu());
        target.eval();
    }

    /// <summary>
    /// Copies <paramref name="source"/>'s padded item matrix [NumItems + 1, Dim] (a registry table's rows under a zero
    /// padding row) into a serving copy's own padded table <paramref name="target"/>, so the copy needs no table of its own.
    /// </summary>
    public static void PaddedItems(SequenceItems source, Parameter target)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        target.copy_(source.Padded().detach().cpu());
    }

    /// <summary>
    /// Rows [n, t] (int64, item + 1, 0 = padding) of histories[start..start + n], each cut to its last t items and
    /// left-padded; an id outside 0..numItems − 1 throws naming <paramref name="parameter"/>.
    /// </summary>
    public static long[] LeftPadded(IReadOnlyList<int[]> histories, int start, int n, int t, int numItems, string parameter)
    {
        var rows = new long[n * t];
        for (int k = 0; k < n; k++)
        {
            var h = histories[start + k];
            int len = Math.Min(t, h.Length), from = h.Length - len;
            for (int j = 0; j < len; j++)
            {
                int item = h[from + j];
                if ((uint)item >= (uint)numItems)
                    throw new ArgumentOutOfRangeException(parameter, item, $"history {start + k}: item {item} is outside 0..{numItems - 1}.");
                rows[k * t + (t - len) + j] = item + 1;
            }
        }
        return rows;
    }
}
