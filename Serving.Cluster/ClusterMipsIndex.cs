using Recsys.Retrieval.Mips;

namespace Recsys.Serving.Cluster;

/// <summary>
/// An <see cref="IMipsIndex"/> whose items live in the cluster: every search goes to a coordinator grain with this
/// index's <see cref="ShardSetSpec"/> (so it is answered by that version only) and comes back merged exactly — the same
/// ids and scores as an <see cref="ExactCpuMipsIndex"/> over the whole file. Plugs into a
/// <see cref="Retrieval.Recommenders.FittedRecommender"/> like any index, which is how the HTTP front end becomes a
/// cluster client. A call that fails because the gateway it went through was lost is retried through another.
/// Thread safety: immutable; searches may run concurrently.
/// </summary>
public sealed class ClusterMipsIndex : IMipsIndex
{
    private readonly IGrainFactory _grains;
    private readonly bool _retireOnDispose;
    private int _disposed;

    /// <param name="grains">The cluster client (or a silo's grain factory).</param>
    /// <param name="spec">The version to search.</param>
    /// <param name="retireOnDispose">Unload the version's shards when this index is disposed (a front end swapping it out).</param>
    public ClusterMipsIndex(IGrainFactory grains, ShardSetSpec spec, bool retireOnDispose = false)
    {
        ArgumentNullException.ThrowIfNull(grains);
        _grains = grains;
        Spec = spec.Validate();
        _retireOnDispose = retireOnDispose;
    }

    public ShardSetSpec Spec { get; }
    public int Count => Spec.Count;
    public int Dim => Spec.Dim;

    /// <summary>Attempts per search when the coordinator cannot be reached (a lost gateway).</summary>
    public int Attempts { get; init; } = 4;

    /// <summary>
    /// Deadline of every attempt but the last: a call sent through a gateway that died without closing its connection
    /// would otherwise wait for Orleans' whole response timeout. Longer than the coordinator's own replica failover.
    /// </summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(3);

    public MipsResult Search(ReadOnlySpan<float> queries, int k, Exclusions? exclude = null)
    {
        int n = MipsArguments.QueryCount(queries, Dim, k, exclude);
        return Run(ShardSearch.From(queries, n, k, exclude, null));
    }

    /// <summary>Top-k with a shared allow list pushed into every shard (exact; cheaper than an exclusion row of every other item).</summary>
    public MipsResult Search(ReadOnlySpan<float> queries, MipsSearchRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Validate();
        int n = MipsArguments.QueryCount(queries, Dim, request.K, request.Exclude);
        return Run(ShardSearch.From(queries, n, request.K, request.Exclude, request.Allow));
    }

    /// <summary>The asynchronous form of <see cref="Search(ReadOnlySpan{float}, int, Exclusions?)"/>.</summary>
    public async Task<MipsResult> SearchAsync(ShardSearch search)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                var call = _grains.GetGrain<IShardSetCoordinatorGrain>(0).Search(Spec, search);
                var hits = await (attempt < Attempts ? call.WaitAsync(AttemptTimeout) : call).ConfigureAwait(false);
                if (hits.VersionId != Spec.Id) throw new InvalidOperationException($"version {hits.VersionId} answered a query for {Spec.Id}.");
                return hits.ToResult();
            }
            catch (Exception e) when (attempt < Attempts && !ShardSetCoordinatorGrain.IsCallerError(e) && e is not InvalidOperationException)
            {
                if (e is not TimeoutException) await Task.Delay(TimeSpan.FromMilliseconds(100 * attempt)).ConfigureAwait(false);
            }
        }
    }

    private MipsResult Run(ShardSearch search)
    {
        if (search.NumQueries == 0) return new MipsResult(0, search.K, [], []);
        // IMipsIndex is synchronous; the grain call completes on the thread pool, so blocking here cannot deadlock.
        return Task.Run(() => SearchAsync(search)).GetAwaiter().GetResult();
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0 || !_retireOnDispose) return;
        // Fire and forget: the shards are dropped once the cluster gets to it; nobody waits on a retired version.
        _ = _grains.GetGrain<IShardSetCoordinatorGrain>(0).Retire(Spec).ContinueWith(t => _ = t.Exception, TaskScheduler.Default);
    }
}
