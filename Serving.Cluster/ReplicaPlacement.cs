using Orleans.Placement;
using Orleans.Runtime.Placement;

namespace Recsys.Serving.Cluster;

/// <summary>
/// Placement of shard replicas: replica r of shard s goes to silo (s + r) mod n of the compatible silos in a stable
/// order, so the r replicas of a shard sit on r different silos while n ≥ r, and shards spread evenly. A replica whose
/// silo is lost is placed again by the same rule over the silos left when it is next called (re-placement on
/// membership change); it may then share a silo with a sibling until the cluster grows again.
/// </summary>
[GenerateSerializer, Immutable]
public sealed class ReplicaPlacement : PlacementStrategy
{
    internal static readonly ReplicaPlacement Instance = new();
}

/// <summary>Marks a grain class as placed by <see cref="ReplicaPlacement"/>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class ReplicaPlacementAttribute() : PlacementAttribute(ReplicaPlacement.Instance);

/// <summary>The director of <see cref="ReplicaPlacement"/> (registered on every silo by <see cref="ClusterSilo"/>).</summary>
public sealed class ReplicaPlacementDirector : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var silos = context.GetCompatibleSilos(target).OrderBy(s => s.ToParsableString(), StringComparer.Ordinal).ToArray();
        if (silos.Length == 0) throw new OrleansException("no silo can hold an item shard.");
        var key = target.GrainIdentity.Key.ToString();
        int slot = ShardKey.TryParse(key, out var k) ? k.Shard + k.Replica : 0;
        return Task.FromResult(silos[slot % silos.Length]);
    }
}
