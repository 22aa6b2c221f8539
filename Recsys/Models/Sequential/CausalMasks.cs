using static TorchSharp.torch;

namespace Recsys.Models;

/// <summary>
/// The [T, T] bool masks a causal self-attention network needs per history length and device — causal (key after
/// query) and off-diagonal — built once and kept until the owning network is disposed.
/// </summary>
internal sealed class CausalMasks : IDisposable
{
    private readonly Dictionary<(long T, string Device), (Tensor Causal, Tensor OffDiagonal)> _masks = new();

    public (Tensor Causal, Tensor OffDiagonal) For(long t, Device device)
    {
        var key = (t, device.ToString());
        if (_masks.TryGetValue(key, out var m)) return m;
        var causal = ones(t, t, dtype: ScalarType.Bool, device: device).triu(1).DetachFromDisposeScope();
        var off = eye(t, dtype: ScalarType.Bool, device: device).logical_not().DetachFromDisposeScope();
        _masks[key] = (causal, off);
        return (causal, off);
    }

    /// <summary>
    /// The self-attention mask [B, 1, T, T] (true = masked) of histories whose real (non-padding) positions are
    /// <paramref name="real"/> [B, T]: a later key, or a padding key other than the position itself (so no row is
    /// fully masked).
    /// </summary>
    public Tensor History(Tensor real)
    {
        long b = real.shape[0], t = real.shape[1];
        var (causal, offDiagonal) = For(t, real.device);
        return causal.logical_or(real.logical_not().view(b, 1, 1, t).logical_and(offDiagonal));
    }

    public void Dispose()
    {
        foreach (var (c, o) in _masks.Values) { c.Dispose(); o.Dispose(); }
        _masks.Clear();
    }
}
