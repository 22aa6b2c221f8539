using Recsys.Training;

namespace Recsys.Tables;

/// <summary>
/// A Carter–Wegman universal hash h(x) = ((a·x + b) mod p) mod m with p = 2⁶¹ − 1 and a, b drawn from a seed — the
/// hash family of the GraphHash baselines (there with a random prime; a fixed Mersenne prime keeps it seedable).
/// </summary>
public readonly struct UniversalHash
{
    private const ulong P = (1UL << 61) - 1;
    private readonly ulong _a, _b;

    /// <summary>Draws a and b from <paramref name="seed"/>.</summary>
    public UniversalHash(ulong seed)
    {
        var rng = new Xoshiro256(seed);
        _a = 1 + rng.NextUInt64() % (P - 1);
        _b = rng.NextUInt64() % P;
    }

    /// <summary>h(<paramref name="x"/>) in 0..<paramref name="m"/>-1.</summary>
    public int Hash(int x, int m)
    {
        var v = (UInt128)_a * (ulong)(uint)x + _b;
        return (int)((ulong)(v % P) % (ulong)m);
    }

    /// <summary>h(0..count-1) into 0..m-1.</summary>
    public int[] Map(int count, int m)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(m, 1, nameof(m));
        var r = new int[count];
        for (int i = 0; i < count; i++) r[i] = Hash(i, m);
        return r;
    }

    /// <summary>An independent seed for hash function <paramref name="index"/> of a table seeded with <paramref name="seed"/>.</summary>
    public static ulong Derive(ulong seed, ulong index) => new Xoshiro256(seed ^ (0xD1B54A32D192ED03UL * (index + 1))).NextUInt64();
}
