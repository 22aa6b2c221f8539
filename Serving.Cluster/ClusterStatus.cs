using Orleans.Runtime;

namespace Recsys.Serving.Cluster;

/// <summary>What a cluster holds now: its silos, and for every loaded version each shard's replicas and their silos.</summary>
public sealed record ClusterStatus(IReadOnlyList<SiloStatusLine> Silos, IReadOnlyList<VersionStatus> Versions)
{
    // The management grain names grain classes "Namespace.Type,Assembly".
    private static readonly string ShardGrainType = $"{typeof(ItemShardGrain).FullName},{typeof(ItemShardGrain).Assembly.GetName().Name}";

    /// <summary>Reads the status through Orleans' management grain (membership and the shard grains' activations).</summary>
    public static async Task<ClusterStatus> ReadAsync(IGrainFactory grains)
    {
        var mg = grains.GetGrain<IManagementGrain>(0);
        var hosts = await mg.GetDetailedHosts(onlyActive: false);
        var silos = hosts.Select(h => new SiloStatusLine(h.SiloAddress.ToParsableString(), h.SiloName, h.Status.ToString()))
                         .OrderBy(s => s.Address, StringComparer.Ordinal).ToList();
        var active = hosts.Where(h => h.Status == SiloStatus.Active).Select(h => h.SiloAddress).ToArray();
        var stats = await mg.GetDetailedGrainStatistics([ShardGrainType], active);
        var versions = new Dictionary<string, SortedDictionary<int, List<ReplicaStatus>>>(StringComparer.Ordinal);
        foreach (var g in stats)
        {
            if (!ShardKey.TryParse(g.GrainId.Key.ToString() ?? "", out var key)) continue;
            if (!versions.TryGetValue(key.VersionId, out var shards)) versions[key.VersionId] = shards = [];
            if (!shards.TryGetValue(key.Shard, out var replicas)) shards[key.Shard] = replicas = [];
            replicas.Add(new ReplicaStatus(key.Replica, g.SiloAddress.ToParsableString()));
        }
        var list = versions.OrderBy(v => v.Key, StringComparer.Ordinal)
            .Select(v => new VersionStatus(v.Key, [.. v.Value.Select(s => new ShardStatus(s.Key, [.. s.Value.OrderBy(r => r.Replica)]))]))
            .ToList();
        return new ClusterStatus(silos, list);
    }
}

/// <summary>One silo: address, name and membership status (Active, Dead, …).</summary>
public sealed record SiloStatusLine(string Address, string Name, string Status);

/// <summary>A version (<see cref="ShardSetSpec.Id"/>) and its active shards.</summary>
public sealed record VersionStatus(string Version, IReadOnlyList<ShardStatus> Shards);

/// <summary>A shard and its active replicas.</summary>
public sealed record ShardStatus(int Shard, IReadOnlyList<ReplicaStatus> Replicas);

/// <summary>A replica and the silo it is active on.</summary>
public sealed record ReplicaStatus(int Replica, string Silo);
