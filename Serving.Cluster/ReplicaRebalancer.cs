using Microsoft.Extensions.Logging;
using Orleans.Runtime;

namespace Recsys.Serving.Cluster;

/// <summary>
/// Re-places shard replicas when membership changes, so every shard is back to its r replicas laid out by
/// <see cref="ReplicaPlacementDirector"/>'s rule over the silos present: a lost replica is loaded again on a live silo,
/// and replicas the rule now puts on another silo (a silo joined, or one left and the rule counts over fewer) move
/// there. Runs on every shard silo; only the first active silo in the rule's order acts, after
/// <see cref="CoordinatorOptions.RebalanceDelay"/> and every <see cref="CoordinatorOptions.RebalanceEvery"/>.
/// <para>
/// A move never costs an answer or exactness: a shard's missing replicas are loaded first, then its misplaced ones move
/// one at a time, each loaded at its new place before the next moves, so while one replica moves its
/// siblings keep answering. A move is Orleans' grain migration with the target silo as placement hint; the replica's
/// version travels with it and the new activation loads its rows as it starts. A replica that is loading refuses queries that may go elsewhere
/// (<see cref="ReplicaLoadingException"/>) and makes the last one wait, so no query is answered from part of a shard.
/// The versions to keep are read from the replicas themselves (<see cref="IItemShardGrain.Spec"/>); a version with a
/// replica loading or unloading (a swap or a retirement in progress) is left alone in that pass.
/// </para>
/// </summary>
public sealed class ReplicaRebalancer(IClusterMembershipService membership, ILocalSiloDetails local, IGrainFactory grains,
    CoordinatorOptions options, ILogger<ReplicaRebalancer> log) : ILifecycleParticipant<ISiloLifecycle>
{
    // The management grain names grain classes "Namespace.Type,Assembly".
    private static readonly string ShardGrainType = $"{typeof(ItemShardGrain).FullName},{typeof(ItemShardGrain).Assembly.GetName().Name}";
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;

    /// <summary>Replicas loaded or moved since the silo started (for tests and logs).</summary>
    public int Moves => Volatile.Read(ref _moves);
    private int _moves;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(ReplicaRebalancer), ServiceLifecycleStage.Active, _ => { _loop = Task.Run(() => RunAsync(_stop.Token)); return Task.CompletedTask; }, StopAsync);

    private async Task StopAsync(CancellationToken cancellation)
    {
        await _stop.CancelAsync();
        if (_loop is { } loop) try { await loop.WaitAsync(cancellation); } catch (OperationCanceledException) { }
    }

    private async Task RunAsync(CancellationToken stop)
    {
        await using var updates = membership.MembershipUpdates.GetAsyncEnumerator(stop);
        var next = updates.MoveNextAsync().AsTask();
        try
        {
            while (!stop.IsCancellationRequested)
            {
                await Task.WhenAny(next, Task.Delay(options.RebalanceEvery, stop));
                if (next.IsCompleted)
                {
                    if (!await next) return;
                    next = updates.MoveNextAsync().AsTask();
                    await Task.Delay(options.RebalanceDelay, stop);
                }
                try { await PassAsync(stop); }
                catch (Exception e) when (e is not OperationCanceledException) { log.LogWarning("re-placing replicas: {Error}", e.Message); }
            }
        }
        catch (OperationCanceledException) { }
        finally { _ = next.ContinueWith(t => _ = t.Exception, TaskScheduler.Default); }
    }

    /// <summary>One pass over every version on the cluster; returns the replicas loaded or moved (0 on silos that do not lead).</summary>
    public async Task<int> PassAsync(CancellationToken cancellation = default)
    {
        var active = ReplicaPlacementDirector.Order(membership.CurrentSnapshot.Members.Values.Where(m => m.Status == SiloStatus.Active).Select(m => m.SiloAddress));
        if (active.Length == 0 || !active[0].Equals(local.SiloAddress)) return 0;
        var stats = await grains.GetGrain<IManagementGrain>(0).GetDetailedGrainStatistics([ShardGrainType], active);
        var versions = new Dictionary<string, Dictionary<(int, int), SiloAddress>>(StringComparer.Ordinal);
        var keys = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var g in stats)
        {
            var text = g.GrainId.Key.ToString() ?? "";
            if (!ShardKey.TryParse(text, out var key)) continue;
            if (!versions.TryGetValue(key.VersionId, out var placed)) { versions[key.VersionId] = placed = []; keys[key.VersionId] = []; }
            placed[(key.Shard, key.Replica)] = g.SiloAddress;
            keys[key.VersionId].Add(text);
        }
        int moved = 0;
        foreach (var (versionId, placed) in versions)
        {
            cancellation.ThrowIfCancellationRequested();
            var specs = await Task.WhenAll(keys[versionId].Select(k => grains.GetGrain<IItemShardGrain>(k).Spec()));
            // A replica loading or unloading: a swap or a retirement is under way; the next pass looks again.
            if (specs.Any(s => s is null)) { log.LogInformation("version {Version}: a replica is loading or unloading; left for the next pass", versionId); continue; }
            var spec = specs[0]!;
            var plan = Plan(spec, placed, active);
            var done = await Task.WhenAll(plan.Select(p => ApplyAsync(spec, p, active)));
            moved += done.Sum();
        }
        if (moved > 0) log.LogInformation("re-placed {Count} replica(s) over {Silos} silo(s)", moved, active.Length);
        Interlocked.Add(ref _moves, moved);
        return moved;
    }

    /// <summary>
    /// What shard by shard has to change for <paramref name="spec"/>'s replicas to sit where the rule puts them over
    /// <paramref name="ordered"/> silos: the replicas no silo holds (load), then those on the wrong silo (move).
    /// </summary>
    public static IReadOnlyList<ShardMoves> Plan(ShardSetSpec spec, IReadOnlyDictionary<(int Shard, int Replica), SiloAddress> placed, IReadOnlyList<SiloAddress> ordered)
    {
        var plan = new List<ShardMoves>();
        for (int s = 0; s < spec.Shards; s++)
        {
            var missing = new List<int>();
            var misplaced = new List<int>();
            for (int r = 0; r < spec.Replicas; r++)
            {
                if (!placed.TryGetValue((s, r), out var at)) missing.Add(r);
                else if (!at.Equals(ReplicaPlacementDirector.Target(s, r, ordered))) misplaced.Add(r);
            }
            if (missing.Count + misplaced.Count > 0) plan.Add(new ShardMoves(s, missing, misplaced));
        }
        return plan;
    }

    private async Task<int> ApplyAsync(ShardSetSpec spec, ShardMoves moves, IReadOnlyList<SiloAddress> ordered)
    {
        int n = 0;
        // Lost replicas first, so the shard has all its copies before any of them moves.
        foreach (int r in moves.Missing)
        {
            var info = await grains.GetGrain<IItemShardGrain>(spec.GrainKey(moves.Shard, r)).Load(spec).WaitAsync(options.ReplaceTimeout);
            log.LogInformation("replica {Key} loaded again on {Silo}", info.Key, info.Silo);
            n++;
        }
        foreach (int r in moves.Misplaced)
        {
            var target = ReplicaPlacementDirector.Target(moves.Shard, r, ordered);
            var grain = grains.GetGrain<IItemShardGrain>(spec.GrainKey(moves.Shard, r));
            await grain.MoveTo(target);
            // The move completes once the old activation's requests are done; the new one loads as it starts, and this
            // waits for its rows before the shard's next replica may move.
            for (int attempt = 0; ; attempt++)
            {
                var info = await grain.Load(spec).WaitAsync(options.ReplaceTimeout);
                if (info.Silo == target.ToParsableString()) { log.LogInformation("replica {Key} moved to {Silo}", info.Key, info.Silo); n++; break; }
                if (attempt == 50) { log.LogInformation("replica {Key} stays on {Silo} (the rule says {Target}); the next pass tries again", info.Key, info.Silo, target); break; }
                await Task.Delay(TimeSpan.FromMilliseconds(100));
            }
        }
        return n;
    }
}

/// <summary>One shard's changes: replicas to load again (no silo holds them) and replicas to move to the rule's silo.</summary>
public sealed record ShardMoves(int Shard, IReadOnlyList<int> Missing, IReadOnlyList<int> Misplaced);
