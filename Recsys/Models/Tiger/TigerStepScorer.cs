using static TorchSharp.torch;

namespace Recsys.Models;

/// <summary>
/// TIGER's decoder as the scorer of one chunk's beam search: each level feeds only the newest code of every beam
/// through the decoder (<see cref="TigerNetwork.DecodeStep"/>), the earlier positions coming from a
/// <see cref="TigerDecoderCache"/> that follows the beams' parents, and scores only the level's codes. The decoder
/// batch puts each query's beams in a group of G slots (G = the most beams any query has), so a group's
/// cross-attention reads its encoded history once; unused slots decode a dummy token and are dropped before the output
/// layer. Call inside a no-grad region, one level after the other; not thread-safe.
/// </summary>
internal sealed class TigerStepScorer(TigerNetwork network, TigerTokens tokens, (Tensor K, Tensor V)[] cross, Tensor padding, int queries)
    : IBeamStepScorer, IDisposable
{
    private readonly TigerDecoderCache _cache = network.NewCache();
    private long[] _slots = [];   // slot of each row of the previous call
    private int _groups = 1;      // G of the previous call

    public float[] LogProbs(ReadOnlySpan<int> owners, ReadOnlySpan<int> parents, ReadOnlySpan<int> prefixes, int level)
    {
        using var scope = NewDisposeScope();
        int n = owners.Length;
        var count = new int[queries];
        foreach (int q in owners) count[q]++;
        int g = Math.Max(1, count.Max());
        long dummy = level == 0 ? TigerTokens.Bos : tokens.Code(level - 1, 0);
        var input = new long[(long)queries * g];
        var from = new long[(long)queries * g];
        for (long i = 0; i < input.Length; i++) { input[i] = dummy; from[i] = i / g * _groups; }   // a dummy continues its query's first slot
        var slots = new long[n];
        Array.Clear(count);
        for (int r = 0; r < n; r++)
        {
            int q = owners[r];
            long slot = (long)q * g + count[q]++;
            slots[r] = slot;
            if (level > 0)
            {
                input[slot] = tokens.Code(level - 1, prefixes[r * level + level - 1]);
                from[slot] = _slots[parents[r]];
            }
        }
        var hidden = network.DecodeStep(tensor(input), level, level == 0 ? null : tensor(from), _cache, cross, padding);
        var logProbs = network.LevelLogProbs(hidden.index_select(0, tensor(slots)), level);
        _slots = slots; _groups = g;
        return logProbs.contiguous().data<float>().ToArray();
    }

    public void Dispose() => _cache.Dispose();
}
