using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using Orleans.Runtime.Placement;
using Recsys.Retrieval.Mips;

namespace Recsys.Serving.Cluster;

/// <summary>
/// <see cref="IItemShardGrain"/>: the shard's rows in an <see cref="ExactCpuMipsIndex"/> (bit-identical scores to an
/// index over all items, so the merge is exact), with allow lists answered by <see cref="IdMapIndex"/>'s exact
/// filtered search. Reentrant: searches run on the thread pool side by side instead of queueing behind each other,
/// and the load happens once however many calls arrive during it. Placed by <see cref="ReplicaPlacement"/>.
/// </summary>
[Reentrant, ReplicaPlacement]
public sealed class ItemShardGrain(ShardHostOptions options, ILocalSiloDetails silo, ILogger<ItemShardGrain> log) : Grain, IItemShardGrain, IGrainMigrationParticipant
{
    private const string SpecKey = "recsys.shard-spec";
    private Task<Loaded>? _loading;
    private ShardKey _key;
    private bool _unloading;

    private sealed record Loaded(ShardSetSpec Spec, ExactCpuMipsIndex Index, Lazy<IdMapIndex> Filtered, ShardInfo Info);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (!ShardKey.TryParse(this.GetPrimaryKeyString(), out _key))
            throw new ArgumentException($"'{this.GetPrimaryKeyString()}' is not a shard key (version/shard/replica).");
        return Task.CompletedTask;
    }

    public async Task<ShardInfo> Load(ShardSetSpec spec) => (await Ensure(spec)).Info;

    public async Task<ShardHits> Search(ShardSetSpec spec, ShardSearch search, bool mayWait)
    {
        var loading = Ensure(spec);
        if (!mayWait && !loading.IsCompletedSuccessfully)
            throw new ReplicaLoadingException($"replica {this.GetPrimaryKeyString()} is still loading its rows.");
        var shard = await loading;
        // The scan runs off the grain's turn so concurrent batches use several cores.
        return await Task.Run(() =>
        {
            var queries = search.Queries;
            var exclude = search.Exclusions();
            var result = search.Allow is { } allow
                ? shard.Filtered.Value.Search(queries, new MipsSearchRequest { K = search.K, Exclude = exclude, Allow = allow })
                : shard.Index.Search(queries, search.K, exclude);
            return ShardHits.From(result, shard.Spec.Id);
        });
    }

    public Task Unload()
    {
        _unloading = true;
        DeactivateOnIdle();
        return Task.CompletedTask;
    }

    public Task MoveTo(SiloAddress target)
    {
        ArgumentNullException.ThrowIfNull(target);
        // The placement director honours the hint, so the replica starts again on exactly this silo.
        RequestContext.Set(IPlacementDirector.PlacementHintKey, target);
        this.MigrateOnIdle();
        return Task.CompletedTask;
    }

    /// <summary>Hands the version to the replica's next activation, which starts loading its rows at once.</summary>
    public void OnDehydrate(IDehydrationContext dehydrationContext)
    {
        if (_loading is { IsCompletedSuccessfully: true } done && !_unloading) dehydrationContext.TryAddValue(SpecKey, done.Result.Spec);
    }

    public void OnRehydrate(IRehydrationContext rehydrationContext)
    {
        if (rehydrationContext.TryGetValue(SpecKey, out ShardSetSpec? spec) && spec is not null && ShardKey.TryParse(this.GetPrimaryKeyString(), out _key))
            _ = Ensure(spec);
    }

    public Task<ShardSetSpec?> Spec()
    {
        if (_loading is { IsCompletedSuccessfully: true } done && !_unloading) return Task.FromResult<ShardSetSpec?>(done.Result.Spec);
        // Asked while loading, or the call itself activated an empty replica: an empty one must not linger.
        if (_loading is null) DeactivateOnIdle();
        return Task.FromResult<ShardSetSpec?>(null);
    }

    private Task<Loaded> Ensure(ShardSetSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Id != _key.VersionId) throw new ArgumentException($"shard {this.GetPrimaryKeyString()} was asked for version {spec.Id}.", nameof(spec));
        // One load per activation, shared by every call that arrives while it runs; a failed load is retried by the next call.
        var current = _loading;
        if (current is null || current.IsFaulted || current.IsCanceled) _loading = current = Task.Run(() => LoadRows(spec.Validate()));
        return current;
    }

    private Loaded LoadRows(ShardSetSpec spec)
    {
        var sw = Stopwatch.StartNew();
        var (start, count) = spec.Range(_key.Shard);
        var rows = ItemRows.Read(spec.ItemsFile, start, count, out int dim, out int fileRows);
        if (dim != spec.Dim) throw new ArgumentException($"{spec.ItemsFile} holds {dim}-wide vectors, the version says {spec.Dim}.", nameof(spec));
        var index = new ExactCpuMipsIndex(rows, dim, new ExactCpuMipsOptions { Threads = options.SearchThreads });
        var info = new ShardInfo
        {
            Key = this.GetPrimaryKeyString(), Silo = silo.SiloAddress.ToParsableString(), Start = start, Count = count, Dim = dim,
            Checksum = RowChecksum.Of(rows), LoadSeconds = sw.Elapsed.TotalSeconds, FileRows = fileRows,
        };
        log.LogInformation("loaded shard {Key}: items {Start}..{End} ({Seconds:F2} s)", info.Key, start, start + count - 1, info.LoadSeconds);
        return new Loaded(spec, index, new Lazy<IdMapIndex>(() => new IdMapIndex(index, Enumerable.Range(0, count).ToArray(), ownsInner: false)), info);
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_loading is { IsCompletedSuccessfully: true } done)
        {
            var shard = await done;
            if (shard.Filtered.IsValueCreated) shard.Filtered.Value.Dispose();
            // Deactivation waits for the requests in flight, and every scan runs inside one, so none still reads the index.
            shard.Index.Dispose();
        }
    }
}
