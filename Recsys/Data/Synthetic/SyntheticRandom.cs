using System.Numerics;
using System.Runtime.CompilerServices;

namespace Recsys.Data.Synthetic;

/// <summary>
/// xoshiro256** seeded through SplitMix64 (Blackman &amp; Vigna). Used instead of <see cref="Random"/>, whose seeded
/// sequence .NET does not promise to keep across versions, so a synthetic dataset stays the same for a seed.
/// </summary>
internal sealed class SyntheticRandom
{
    private ulong _s0, _s1, _s2, _s3;

    public SyntheticRandom(long seed)
    {
        ulong x = (ulong)seed;
        _s0 = SplitMix(ref x); _s1 = SplitMix(ref x); _s2 = SplitMix(ref x); _s3 = SplitMix(ref x);
    }

    private static ulong SplitMix(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong NextUInt64()
    {
        ulong result = BitOperations.RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0; _s3 ^= _s1; _s1 ^= _s2; _s0 ^= _s3;
        _s2 ^= t;
        _s3 = BitOperations.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform integer in [0, n) (Lemire's multiply-shift with rejection, unbiased).</summary>
    public int Next(int n)
    {
        if (n <= 0) throw new ArgumentOutOfRangeException(nameof(n));
        ulong bound = (ulong)n;
        while (true)
        {
            UInt128 m = (UInt128)NextUInt64() * bound;
            ulong low = (ulong)m;
            if (low >= bound || low >= (0UL - bound) % bound) return (int)(m >> 64);
        }
    }

    /// <summary>Standard normal (Box–Muller, one value per call).</summary>
    public double NextGaussian()
    {
        double u1 = 1.0 - NextDouble(); // (0, 1]
        double u2 = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    /// <summary>floor(x) plus one with probability frac(x): an unbiased integer rounding of x ≥ 0.</summary>
    public int RoundStochastic(double x)
    {
        double f = Math.Floor(x);
        return (int)f + (NextDouble() < x - f ? 1 : 0);
    }

    /// <summary>Fisher–Yates shuffle in place.</summary>
    public void Shuffle<T>(Span<T> a)
    {
        for (int i = a.Length - 1; i > 0; i--)
        {
            int j = Next(i + 1);
            (a[i], a[j]) = (a[j], a[i]);
        }
    }
}
