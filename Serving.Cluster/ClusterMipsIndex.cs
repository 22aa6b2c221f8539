using Recsys.Retrieval.Mips;

namespace Recsys.Serving.Cluster;

/// <summary>
/// An <see cref="IMipsIndex"/> whose items live in the cluster: every search goes to a coordinator grain with this
/// index's <see cref="ShardSetSpec"/> (so it is answered by that version only) and comes back merged exactly — the same
/// ids and scores as an <see cref="ExactCpuMipsIndex"/> over the whole file. Plugs into a
/// <see cref="Retrieval.Recommenders.FittedRecommender"/> like any index, which is how the HTTP front end becomes a
/// cluster client. A call that fails because the gateway it went through was lost is retried through another, and one
/// that finds a shard without a replica answering (the moment of a failover) is retried after a pause.
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

    /// <summary>Pause before the second attempt; the n-th waits n times it (twice that after a shard no replica answered).</summary>
    public TimeSpan RetryPause { get; init; } = TimeSpan.FromMilliseconds(150);

    /// <summary>
    /// Errors worth another attempt: the cluster's, not the request's — a lost gateway or silo, a timeout, a shard whose
    /// every replica was lost a moment ago. Bad input and a cluster holding other vectors are answered at once.
    /// </summary>
    internal static bool IsTransient(Exception e) =>
        e is ShardUnavailableException || !(ShardSetCoordinatorGrain.IsCallerError(e) || e is ClusterMismatchException);

    /// <summary>
    /// Deadline of every attempt but the last: a call sent through a gateway that died without closing its connection
    /// would otherwise wait for Orleans' whole response timeout. Longer than the coordinator's own replica failover.
    /// </summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// Extra deadline per multiply-add of a shard's scan (as <see cref="CoordinatorOptions.ScanNanoseconds"/>), twice
    /// over since the coordinator may have to ask a second replica: a block of thousands of users is slow, not lost.
    /// </summary>
    public double ScanNanoseconds { get; init; } = new CoordinatorOptions().ScanNanoseconds;

    /// <summary>The deadline of one attempt of <paramref name="queries"/> queries (the last attempt gets four times it).</summary>
    public TimeSpan DeadlineFor(int queries)
    {
        long rows = (Count + Spec.Shards - 1) / Spec.Shards;
        return AttemptTimeout + TimeSpan.FromMilliseconds(Math.Min(2 * ScanNanoseconds * 1e-6 * queries * rows * Dim, TimeSpan.FromHours(1).TotalMilliseconds));
    }

    /// <summary>
    /// Most queries one coordinator call carries: a larger search is cut into blocks of this many, so a batch job over
    /// millions of users sends bounded messages and holds bounded memory on the silos (0 = never cut).
    /// </summary>
    public int BlockSize { get; init; }

    /// <summary>Blocks of one search in flight at once (overlaps one block's hop with another's scan).</summary>
    public int BlocksInFlight { get; init; } = 2;

    /// <summary>Queries answered so far, reported after each block of a search cut into blocks.</summary>
    public IProgress<BlockProgress>? Progress { get; init; }

    public MipsResult Search(ReadOnlySpan<float> queries, int k, Exclusions? exclude = null)
    {
        int n = MipsArguments.QueryCount(queries, Dim, k, exclude);
        return InBlocks(queries, n, k, exclude, null);
    }

    /// <summary>Top-k with a shared allow list pushed into every shard (exact; cheaper than an exclusion row of every other item).</summary>
    public MipsResult Search(ReadOnlySpan<float> queries, MipsSearchRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Validate();
        int n = MipsArguments.QueryCount(queries, Dim, request.K, request.Exclude);
        return InBlocks(queries, n, request.K, request.Exclude, request.Allow);
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
                var deadline = DeadlineFor(search.NumQueries);
                var hits = await call.WaitAsync(attempt < Attempts ? deadline : 4 * deadline).ConfigureAwait(false);
                if (hits.VersionId != Spec.Id) throw new ClusterMismatchException($"version {hits.VersionId} answered a query for {Spec.Id}.");
                return hits.ToResult();
            }
            catch (Exception e) when (attempt >= Attempts && IsTransient(e))
            {
                throw new BackendUnavailableException($"the cluster did not answer a search of {Spec.Id} in {Attempts} attempts: {e.Message}", e);
            }
            catch (Exception e) when (IsTransient(e))
            {
                // A shard no replica answered is a failover in progress (its replicas are being re-placed and load in
                // about a second), so it is worth a longer pause than a lost gateway.
                var pause = e is ShardUnavailableException ? RetryPause * (2 * attempt) : RetryPause * attempt;
                if (e is not TimeoutException) await Task.Delay(pause).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// The search whole, or cut into blocks of <see cref="BlockSize"/> queries with at most <see cref="BlocksInFlight"/>
    /// on the cluster at once; each block's answer is copied into its rows of the result as it arrives.
    /// </summary>
    private MipsResult InBlocks(ReadOnlySpan<float> queries, int n, int k, Exclusions? exclude, IReadOnlyList<int>? allow)
    {
        if (BlockSize <= 0 || n <= BlockSize) return Run(ShardSearch.From(queries, n, k, exclude, allow));
        var ids = new int[(long)n * k];
        var scores = new float[(long)n * k];
        var pending = new Queue<(int Start, Task<MipsResult> Answer)>();
        int done = 0;
        void Collect()
        {
            var (start, answer) = pending.Dequeue();
            var r = answer.GetAwaiter().GetResult();
            r.Ids.CopyTo(ids.AsSpan(start * k));
            r.Scores.CopyTo(scores.AsSpan(start * k));
            done += r.NumQueries;
            Progress?.Report(new BlockProgress(done, n));
        }
        try
        {
            for (int b0 = 0; b0 < n; b0 += BlockSize)
            {
                int m = Math.Min(BlockSize, n - b0);
                var block = ShardSearch.From(queries.Slice(b0 * Dim, m * Dim), m, k, exclude?.Slice(b0, m), allow);
                // IMipsIndex is synchronous; the grain calls complete on the thread pool, so waiting here cannot deadlock.
                pending.Enqueue((b0, Task.Run(() => SearchAsync(block))));
                if (pending.Count >= Math.Max(1, BlocksInFlight)) Collect();
            }
            while (pending.Count > 0) Collect();
        }
        finally
        {
            // A failed block must not leave the others running unobserved.
            foreach (var (_, t) in pending) _ = t.ContinueWith(x => _ = x.Exception, TaskScheduler.Default);
        }
        return new MipsResult(n, k, ids, scores);
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
