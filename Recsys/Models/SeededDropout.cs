using static TorchSharp.torch;

namespace Recsys.Models;

/// <summary>
/// A model's own dropout randomness: one CPU generator (masks drawn on CPU, then moved to the tensor's device, so a
/// seed gives the same masks on every device) whose state goes into checkpoints, so a resumed run drops exactly
/// what an uninterrupted one would.
/// </summary>
internal sealed class SeededDropout(ulong seed) : IDisposable
{
    /// <summary>The generator, for other masks drawn from the same stream (NGCF's edge dropout).</summary>
    public Generator Generator { get; } = new(seed, CPU);

    /// <summary>Inverted dropout: each entry kept with probability 1 − p and scaled by 1 / (1 − p).</summary>
    public Tensor Apply(Tensor e, double p)
    {
        using var r = rand(e.shape, generator: Generator);
        using var keep = r.ge(p).to(e.dtype).to(e.device);
        return e * keep * (1 / (1 - p));
    }

    public byte[] SaveState()
    {
        using var s = Generator.get_state();
        return s.data<byte>().ToArray();
    }

    public void RestoreState(byte[] state)
    {
        using var s = tensor(state, dtype: ScalarType.Byte);
        Generator.set_state(s);
    }

    public void Dispose() => Generator.Dispose();
}
