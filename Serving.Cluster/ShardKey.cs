using System.Globalization;

namespace Recsys.Serving.Cluster;

/// <summary>A shard grain's key <c>{version id}/{shard}/{replica}</c> (<see cref="ShardSetSpec.GrainKey"/>) taken apart.</summary>
public readonly record struct ShardKey(string VersionId, int Shard, int Replica)
{
    public static bool TryParse(string key, out ShardKey parsed)
    {
        parsed = default;
        int b = key.LastIndexOf('/');
        if (b <= 0) return false;
        int a = key.LastIndexOf('/', b - 1);
        if (a <= 0) return false;
        if (!int.TryParse(key.AsSpan(a + 1, b - a - 1), NumberStyles.None, CultureInfo.InvariantCulture, out int shard)
            || !int.TryParse(key.AsSpan(b + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int replica)) return false;
        parsed = new ShardKey(key[..a], shard, replica);
        return true;
    }
}
