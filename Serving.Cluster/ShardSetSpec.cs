using System.Security.Cryptography;
using System.Text;

namespace Recsys.Serving.Cluster;

/// <summary>
/// One model version of the item index as the cluster holds it: the item vectors (<see cref="ItemsFile"/>, rows
/// 0..Count−1), cut into <see cref="Shards"/> contiguous id ranges, each held by <see cref="Replicas"/> shard grains on
/// different silos. Every query carries its spec, so a query is answered by exactly one version, and any silo can
/// (re)load a shard from the spec alone — nothing about a version lives in one silo's memory only.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ShardSetSpec
{
    /// <summary>Name of the version (e.g. <c>run@20261204T091552Z</c>); shown by <c>cluster status</c>.</summary>
    [Id(0)] public required string Version { get; init; }
    /// <summary>Full path of the item vectors (.arrow embeddings or float32 .npy), readable by every silo.</summary>
    [Id(1)] public required string ItemsFile { get; init; }
    /// <summary>Items in the file.</summary>
    [Id(2)] public required int Count { get; init; }
    /// <summary>Vector width.</summary>
    [Id(3)] public required int Dim { get; init; }
    /// <summary>Number of contiguous item ranges.</summary>
    [Id(4)] public int Shards { get; init; } = 3;
    /// <summary>Copies of each shard, placed on different silos while there are enough of them.</summary>
    [Id(5)] public int Replicas { get; init; } = 2;

    public ShardSetSpec Validate()
    {
        if (string.IsNullOrWhiteSpace(Version) || Version.Contains('/')) throw new ArgumentException($"the version name '{Version}' must be non-empty and contain no '/'.", nameof(Version));
        if (string.IsNullOrWhiteSpace(ItemsFile)) throw new ArgumentException("the items file is required.", nameof(ItemsFile));
        if (Count < 1) throw new ArgumentOutOfRangeException(nameof(Count), Count, "must be ≥ 1.");
        if (Dim < 1) throw new ArgumentOutOfRangeException(nameof(Dim), Dim, "must be ≥ 1.");
        if (Shards < 1 || Shards > Count) throw new ArgumentOutOfRangeException(nameof(Shards), Shards, $"must be in 1..{Count} (the items).");
        if (Replicas < 1 || Replicas > 16) throw new ArgumentOutOfRangeException(nameof(Replicas), Replicas, "must be in 1..16.");
        return this;
    }

    /// <summary>First item id and item count of shard <paramref name="shard"/> (near-equal contiguous ranges).</summary>
    public (int Start, int Count) Range(int shard)
    {
        if ((uint)shard >= (uint)Shards) throw new ArgumentOutOfRangeException(nameof(shard), shard, $"must be in 0..{Shards - 1}.");
        int start = (int)((long)Count * shard / Shards), end = (int)((long)Count * (shard + 1) / Shards);
        return (start, end - start);
    }

    /// <summary>
    /// The version's identity in grain keys: its name and a hash of everything that decides the shards' contents, so
    /// two specs that share a name but differ in file or layout never share a grain.
    /// </summary>
    public string Id
    {
        get
        {
            var text = $"{ItemsFile}\n{Count}\n{Dim}\n{Shards}\n{Replicas}";
            return $"{Version}#{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)).AsSpan(0, 6))}";
        }
    }

    /// <summary>Key of the grain holding replica <paramref name="replica"/> of shard <paramref name="shard"/>: <c>{Id}/{shard}/{replica}</c>.</summary>
    public string GrainKey(int shard, int replica) => $"{Id}/{shard}/{replica}";
}
