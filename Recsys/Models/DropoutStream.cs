using System.Numerics;
using Recsys.Training;

namespace Recsys.Models;

/// <summary>
/// A model's dropout randomness, drawn in C# from one xoshiro256** stream whose 32-byte state goes into checkpoints,
/// so a resumed run drops exactly what an uninterrupted one would. Each mask takes one word from the stream and is
/// cut into fixed chunks of 16,384 entries, each drawn from its own xoshiro256** seeded by (word, chunk): chunks
/// run in parallel and a mask does not depend on the thread count. Masks are drawn on the host for every device,
/// so a seed drops the same entries on CPU and GPU. Entry i is kept when its 32-bit draw is at least p·2³².
/// (libtorch's CPU generator — rand, compare, convert — took ≈ 20 ms per NGCF layer per Gowalla step.)
/// </summary>
public sealed class DropoutStream(ulong seed)
{
    private const int Chunk = 1 << 14;
    private Xoshiro256 _rng = new(seed);

    /// <summary>Inverted-dropout factors: <c>dst[i]</c> = 1/(1 − p) when entry i is kept, else 0.</summary>
    public unsafe void Scaled(Span<float> dst, double p)
    {
        float s = Scale(p);
        fixed (float* d = dst) Draw(new Job(null, d, dst.Length, Threshold(p), s, s, _rng.NextUInt64()));
    }

    /// <summary>
    /// Leaky ReLU and inverted dropout as one factor of the pre-activation h: <c>dst[i]</c> = keep_i · (h[i] &gt; 0 ? 1 :
    /// slope) / (1 − p), so leaky_relu(h) ⊙ dropout(·) = h ⊙ dst with the same gradient (libtorch's leaky ReLU also
    /// takes the slope at 0). Entry i is kept exactly when <see cref="Scaled"/> would keep it at this stream position.
    /// </summary>
    public unsafe void LeakyScaled(ReadOnlySpan<float> h, Span<float> dst, double p, float slope)
    {
        if (h.Length != dst.Length) throw new ArgumentException($"h has {h.Length} values, dst {dst.Length}.");
        float s = Scale(p);
        fixed (float* ph = h, d = dst) Draw(new Job(ph, d, dst.Length, Threshold(p), s, slope * s, _rng.NextUInt64()));
    }

    /// <summary>
    /// <see cref="LeakyScaled"/> that also applies the factor: <c>factor</c> as there, then h[i] ← h[i] · factor[i]
    /// in the same pass (the layer's output in place of its pre-activation). Same draws, same stream position.
    /// </summary>
    public unsafe void LeakyApply(Span<float> h, Span<float> factor, double p, float slope)
    {
        if (h.Length != factor.Length) throw new ArgumentException($"h has {h.Length} values, factor {factor.Length}.");
        float s = Scale(p);
        fixed (float* ph = h, d = factor) Draw(new Job(ph, d, factor.Length, Threshold(p), s, slope * s, _rng.NextUInt64(), apply: true));
    }

    public byte[] SaveState() => _rng.ToBytes();

    public void RestoreState(byte[] state) =>
        _rng = Xoshiro256.FromBytes(state, "dropout state (a checkpoint written before dropout moved to xoshiro256** cannot be resumed exactly)");

    private static void ValidateP(double p)
    {
        if (!(p >= 0 && p < 1)) throw new ArgumentOutOfRangeException(nameof(p), p, "dropout probability must be in [0, 1).");
    }

    private static float Scale(double p) { ValidateP(p); return (float)(1 / (1 - p)); }

    private static uint Threshold(double p) => (uint)Math.Min(uint.MaxValue, Math.Round(p * 4294967296.0));

    private static void Draw(Job job)
    {
        int chunks = (int)((job.N + (long)Chunk - 1) / Chunk);
        if (chunks <= 1) Fill(job, 0);
        else Parallel.For(0, chunks, c => Fill(job, c));
    }

    private static unsafe void Fill(Job j, int chunk)
    {
        var rng = new Xoshiro256(j.Word ^ ((ulong)(chunk + 1) * 0x9E3779B97F4A7C15UL));
        int start = chunk * Chunk, end = Math.Min(j.N, start + Chunk);
        // Draws go to a small buffer first so the select below runs branch-free over whole vectors (the sign of h
        // is a coin flip: a per-entry branch mispredicted half the time).
        const int Block = 256;
        uint* draws = stackalloc uint[Block];
        var zero = Vector<float>.Zero;
        var high = new Vector<float>(j.High);
        var low = new Vector<float>(j.Low);
        var threshold = new Vector<uint>(j.Threshold);
        for (int b = start; b < end; b += Block)
        {
            int len = Math.Min(Block, end - b);
            for (int i = 0; i < len; i += 2) *(ulong*)(draws + i) = rng.NextUInt64();
            int v = 0;
            for (; v <= len - Vector<float>.Count; v += Vector<float>.Count)
            {
                var keep = Vector.As<uint, float>(Vector.GreaterThanOrEqual(Vector.Load(draws + v), threshold));
                var factor = j.H == null ? high : Vector.ConditionalSelect(Vector.GreaterThan(Vector.Load(j.H + b + v), zero), high, low);
                var f = Vector.ConditionalSelect(keep, factor, zero);
                Vector.Store(f, j.Dst + b + v);
                if (j.Apply) Vector.Store(Vector.Load(j.H + b + v) * f, j.H + b + v);
            }
            for (; v < len; v++)
            {
                float f = draws[v] < j.Threshold ? 0f : j.H == null || j.H[b + v] > 0 ? j.High : j.Low;
                j.Dst[b + v] = f;
                if (j.Apply) j.H[b + v] *= f;
            }
        }
    }

    /// <summary>One mask: null H gives plain scaled factors, otherwise leaky factors of H (and, with apply, H ⊙ factor in place).</summary>
    private readonly unsafe struct Job(float* h, float* dst, int n, uint threshold, float high, float low, ulong word, bool apply = false)
    {
        public readonly bool Apply = apply;
        public readonly float* H = h;
        public readonly float* Dst = dst;
        public readonly int N = n;
        public readonly uint Threshold = threshold;
        public readonly float High = high;
        public readonly float Low = low;
        public readonly ulong Word = word;
    }
}
