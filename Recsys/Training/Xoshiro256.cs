using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Recsys.Training;

/// <summary>
/// xoshiro256** pseudo-random generator (Blackman &amp; Vigna 2018) whose whole state is four ulongs, so a
/// checkpoint can store it and a resumed run draws exactly the same numbers. Seeded through SplitMix64.
/// </summary>
public struct Xoshiro256
{
    private ulong _s0, _s1, _s2, _s3;

    /// <summary>Seeds the four state words from <paramref name="seed"/> with SplitMix64 (never all zero).</summary>
    public Xoshiro256(ulong seed)
    {
        _s0 = SplitMix(ref seed); _s1 = SplitMix(ref seed); _s2 = SplitMix(ref seed); _s3 = SplitMix(ref seed);
    }

    /// <summary>The raw state, for checkpoints.</summary>
    public readonly ulong[] GetState() => [_s0, _s1, _s2, _s3];

    /// <summary>Restores a state written by <see cref="GetState"/>.</summary>
    public static Xoshiro256 FromState(ReadOnlySpan<ulong> s)
    {
        if (s.Length != 4) throw new ArgumentException($"xoshiro256 state has 4 words, got {s.Length}.");
        if ((s[0] | s[1] | s[2] | s[3]) == 0) throw new ArgumentException("xoshiro256 state must not be all zero.");
        return new Xoshiro256 { _s0 = s[0], _s1 = s[1], _s2 = s[2], _s3 = s[3] };
    }

    /// <summary>The state as 32 little-endian bytes (a model's random state in a checkpoint).</summary>
    public readonly byte[] ToBytes()
    {
        var bytes = new byte[32];
        ulong[] words = [_s0, _s1, _s2, _s3];
        for (int i = 0; i < 4; i++) BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(8 * i), words[i]);
        return bytes;
    }

    /// <summary>Restores a state written by <see cref="ToBytes"/>; <paramref name="what"/> names it in the error.</summary>
    public static Xoshiro256 FromBytes(byte[] state, string what)
    {
        if (state.Length != 32) throw new InvalidDataException($"{what} has {state.Length} bytes, expected 32.");
        Span<ulong> w = stackalloc ulong[4];
        for (int i = 0; i < 4; i++) w[i] = BinaryPrimitives.ReadUInt64LittleEndian(state.AsSpan(8 * i));
        return FromState(w);
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

    /// <summary>Uniform integer in [0, n) by Lemire's multiply-shift (bias below 2^-32 for n &lt; 2^31).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int NextInt(int n) => (int)(((NextUInt64() >> 32) * (ulong)(uint)n) >> 32);

    /// <summary>Uniform double in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    private static ulong SplitMix(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
