using System.Runtime.InteropServices;

namespace Recsys.Serving.Cluster;

/// <summary>
/// FNV-1a (64-bit) over the bit patterns of a block of floats: a cheap identity check that a shard holds exactly the
/// item vectors the front end's model has (equal scores need equal bits, not merely close values).
/// </summary>
public static class RowChecksum
{
    public static ulong Of(ReadOnlySpan<float> values)
    {
        ulong h = 14695981039346656037UL;
        foreach (uint bits in MemoryMarshal.Cast<float, uint>(values))
        {
            h ^= bits;
            h *= 1099511628211UL;
        }
        return h;
    }
}
