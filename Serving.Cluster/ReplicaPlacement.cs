using Orleans.Placement;
using Orleans.Runtime.Placement;

namespace Recsys.Serving.Cluster;

/// <summary>
/// Placement of shard replicas: replica r of shard s goes to silo (s + r) mod n of the compatible silos in a stable
/// order, so the r replicas of a shard sit on r different silos while n ≥ r, and shards spread evenly. When membership
/// changes, <see cref="ReplicaRebalancer"/> moves every replica the rule now puts elsewhere (and loads lost ones), so
/// the layout is again the rule's over the silos present.
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
        var silos = Order(context.GetCompatibleSilos(target));
        if (silos.Length == 0) throw new OrleansException("no silo can hold an item shard.");
        // A replica moved by ReplicaRebalancer carries the silo it moves to.
        if (IPlacementDirector.GetPlacementHint(target.RequestContextData, silos) is { } hint) return Task.FromResult(hint);
        var key = target.GrainIdentity.Key.ToString();
        return Task.FromResult(ShardKey.TryParse(key, out var k) ? Target(k.Shard, k.Replica, silos) : silos[0]);
    }

    /// <summary>The stable order the rule counts silos in.</summary>
    public static SiloAddress[] Order(IEnumerable<SiloAddress> silos) => [.. silos.OrderBy(s => s.ToParsableString(), StringComparer.Ordinal)];

    /// <summary>Where replica <paramref name="replica"/> of shard <paramref name="shard"/> belongs among <paramref name="ordered"/> silos (in <see cref="Order"/>).</summary>
    public static SiloAddress Target(int shard, int replica, IReadOnlyList<SiloAddress> ordered) => ordered[(shard + replica) % ordered.Count];
}
