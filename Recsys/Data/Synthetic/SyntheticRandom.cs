using System.Runtime.CompilerServices;

namespace Recsys.Data.Synthetic;

/// <summary>
/// Seeded random draws for the synthetic generator, on xoshiro256** (<see cref="Recsys.Training.Xoshiro256"/>). Used instead of <see cref="Random"/>, whose seeded
/// sequence .NET does not promise to keep across versions, so a synthetic dataset stays the same for a seed.
/// </summary>
internal sealed class SyntheticRandom
{
    // The same xoshiro256** stream the trainer uses; this class adds the distributions the generator needs.
    private Recsys.Training.Xoshiro256 _x;

    public SyntheticRandom(long seed) => _x = new Recsys.Training.Xoshiro256((ulong)seed);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong NextUInt64() => _x.NextUInt64();

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
