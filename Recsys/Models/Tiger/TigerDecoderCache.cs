using static TorchSharp.torch;

namespace Recsys.Models;

/// <summary>
/// The self-attention keys and values of the decoder positions already decoded, per decoder layer ([N, H, t, dh] each),
/// so that a step of the beam search feeds only the newest token through the decoder: causal attention makes the
/// earlier positions' keys independent of later tokens. When the beams are re-chosen, each new row continues the cache
/// row of its parent. Owns its tensors (outside any dispose scope); not thread-safe.
/// </summary>
public sealed class TigerDecoderCache : IDisposable
{
    private readonly Tensor?[] _keys, _values;

    public TigerDecoderCache(int layers)
    {
        _keys = new Tensor?[layers];
        _values = new Tensor?[layers];
    }

    /// <summary>Positions cached so far (0 before the first step).</summary>
    public long Length => _keys[0]?.shape[2] ?? 0;

    /// <summary>
    /// Layer <paramref name="layer"/>'s keys and values with the new position's <paramref name="key"/> and
    /// <paramref name="value"/> [N, H, 1, dh] appended to the cached rows <paramref name="parents"/> [N] (int64; null
    /// on the first step). The result replaces the layer's cache and stays owned by it.
    /// </summary>
    public (Tensor K, Tensor V) Append(int layer, Tensor key, Tensor value, Tensor? parents)
    {
        Tensor k, v;
        if (_keys[layer] is not { } oldK || _values[layer] is not { } oldV) (k, v) = (key.contiguous(), value.contiguous());
        else
        {
            if (parents is null) throw new ArgumentNullException(nameof(parents), "after the first step each new row must name the cached row it continues.");
            (k, v) = (cat([oldK.index_select(0, parents), key], 2), cat([oldV.index_select(0, parents), value], 2));
        }
        _keys[layer]?.Dispose();
        _values[layer]?.Dispose();
        _keys[layer] = k.DetachFromDisposeScope();
        _values[layer] = v.DetachFromDisposeScope();
        return (k, v);
    }

    public void Dispose()
    {
        for (int l = 0; l < _keys.Length; l++)
        {
            _keys[l]?.Dispose(); _keys[l] = null;
            _values[l]?.Dispose(); _values[l] = null;
        }
    }
}
