using System.Collections.Concurrent;

namespace Recsys.Serving.Cluster;

/// <summary>
/// A silo's memory of replicas that just failed to answer: they are tried last until they answer again (a background
/// load that re-places them succeeds) or the suspicion expires. Shared by the silo's coordinator activations.
/// </summary>
public sealed class ReplicaHealth(TimeSpan suspectFor)
{
    private readonly ConcurrentDictionary<string, DateTime> _suspect = new(StringComparer.Ordinal);

    public TimeSpan SuspectFor { get; } = suspectFor;

    public bool IsSuspect(string key) => _suspect.TryGetValue(key, out var until) && (until > DateTime.UtcNow || !_suspect.TryRemove(key, out _));

    public void Suspect(string key) => _suspect[key] = DateTime.UtcNow + SuspectFor;

    public void Clear(string key) => _suspect.TryRemove(key, out _);

    /// <summary>Replica order for one call: round robin from <paramref name="first"/>, healthy replicas before suspect ones.</summary>
    public int[] Order(ShardSetSpec spec, int shard, int first)
    {
        var order = new int[spec.Replicas];
        for (int i = 0; i < order.Length; i++) order[i] = (first + i) % spec.Replicas;
        return [.. order.OrderBy(r => IsSuspect(spec.GrainKey(shard, r)) ? 1 : 0)];
    }
}
