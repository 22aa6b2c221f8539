using Recsys.Data;
using Recsys.Training;

namespace Recsys.Models;

/// <summary>
/// The (user, held-out item) pairs of an interaction matrix whose user has at least one training item — the examples a
/// sequential model's objective is evaluated on outside its training windows (the validation split, for DNIS's α
/// step): the user's training history predicts the held-out item. Drawn per phase in a shuffled order, in batches.
/// </summary>
internal sealed class HeldOutExamples
{
    private readonly long[] _pairs;   // (user << 32) | item
    private long[] _order = [];

    public HeldOutExamples(InteractionMatrix heldOut, Func<int, int> historyLength)
    {
        ArgumentNullException.ThrowIfNull(heldOut);
        var pairs = new List<long>();
        for (int u = 0; u < heldOut.NumUsers; u++)
        {
            if (historyLength(u) < 1) continue;
            foreach (var i in heldOut.ItemsOf(u)) pairs.Add(((long)u << 32) | (uint)i);
        }
        _pairs = pairs.ToArray();
    }

    /// <summary>Examples before the batch cap.</summary>
    public int Count => _pairs.Length;

    /// <summary>Shuffles the examples with <paramref name="rng"/> and returns the batch count (capped by <paramref name="maxBatches"/> when positive).</summary>
    public int Begin(ref Xoshiro256 rng, int batchSize, int maxBatches)
    {
        var o = (long[])_pairs.Clone();
        for (int i = o.Length - 1; i > 0; i--) { int j = rng.NextInt(i + 1); (o[i], o[j]) = (o[j], o[i]); }
        _order = o;
        int batches = (o.Length + batchSize - 1) / batchSize;
        return maxBatches > 0 ? Math.Min(batches, maxBatches) : batches;
    }

    /// <summary>The (user, item) examples of batch <paramref name="batch"/>.</summary>
    public (int User, int Item)[] Batch(int batch, int batchSize)
    {
        int start = batch * batchSize, end = Math.Min(_order.Length, start + batchSize);
        var result = new (int, int)[end - start];
        for (int k = start; k < end; k++) result[k - start] = ((int)(_order[k] >> 32), (int)(uint)_order[k]);
        return result;
    }
}
