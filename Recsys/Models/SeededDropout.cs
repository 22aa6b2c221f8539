using static TorchSharp.torch;

namespace Recsys.Models;

/// <summary>
/// A model's own dropout randomness through libtorch: one CPU generator (masks drawn on CPU, then moved to the tensor's
/// device, so a seed gives the same masks on every device) whose state goes into checkpoints, so a resumed run drops
/// exactly what an uninterrupted one would. KGAT's; NGCF draws from the faster <see cref="DropoutStream"/>.
/// </summary>
internal sealed class SeededDropout(ulong seed) : IDisposable
{
    private readonly Generator _generator = new(seed, CPU);

    /// <summary>Inverted dropout: each entry kept with probability 1 − p and scaled by 1 / (1 − p).</summary>
    public Tensor Apply(Tensor e, double p)
    {
        using var r = rand(e.shape, generator: _generator);
        using var keep = r.ge(p).to(e.dtype).to(e.device);
        return e * keep * (1 / (1 - p));
    }

    public byte[] SaveState()
    {
        using var s = _generator.get_state();
        return s.data<byte>().ToArray();
    }

    public void RestoreState(byte[] state)
    {
        using var s = tensor(state, dtype: ScalarType.Byte);
        _generator.set_state(s);
    }

    public void Dispose() => _generator.Dispose();
}
