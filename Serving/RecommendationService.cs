using Recsys.Retrieval.Recommenders;

namespace Recsys.Serving;

/// <summary>
/// Answers recommendation requests in raw ids over the current <see cref="ServingSnapshot"/>, and swaps snapshots
/// without dropping a request. Thread-safe: each call leases the snapshot current when it starts and answers wholly from
/// it; <see cref="SwapAsync"/> loads and warms the next one off the request path, publishes it with one atomic exchange,
/// and releases the old one, which is disposed when its last request finishes.
/// </summary>
/// <remarks>
/// Cold users: a request whose user is unknown (or absent) and that has no usable history — or whose model cannot
/// read a history (no user encoder, no generator) — is answered from the training popularity order, with the same filters, and
/// flagged <c>Fallback = "popularity"</c>. It is never an error.
/// </remarks>
public sealed class RecommendationService : IDisposable
{
    /// <summary>The <see cref="RecommendAnswer.Fallback"/> value of a popularity answer.</summary>
    public const string PopularityFallback = "popularity";

    private readonly SemaphoreSlim _swapGate = new(1, 1);
    // The snapshot and its generation are published together as one immutable object, so a reader never pairs a
    // snapshot with another's generation and the swap is a single reference exchange.
    private Published _current;
    private volatile bool _disposed;

    /// <summary>A service over <paramref name="initial"/>, which it now owns.</summary>
    public RecommendationService(ServingSnapshot initial, ServingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(initial);
        Options = (options ?? new ServingOptions()).Validate();
        _current = new Published(initial, 1);
    }

    public ServingOptions Options { get; }

    /// <summary>How many snapshots have been published (1 for the initial one); answers carry it.</summary>
    public long Generation => Volatile.Read(ref _current).Generation;

    /// <summary>The model being served now.</summary>
    public ModelInfo Model
    {
        get
        {
            using var lease = Lease();
            var s = lease.Snapshot; var r = s.Recommender;
            return new ModelInfo(s.Version, lease.Generation, s.Kind, r.NumItems, s.Users.Count, r.Dim, s.LoadedAt);
        }
    }

    /// <summary>Coalesced searches and the requests they answered on the current snapshot (see <see cref="ServingOptions.BatchRequests"/>).</summary>
    public (long Searches, long Requests) BatchStats
    {
        get
        {
            using var lease = Lease();
            return lease.Snapshot.BatchStats;
        }
    }

    /// <summary>Answers one request (see <see cref="RecommendQuery"/>); an invalid k or over-limit list is an <see cref="ArgumentException"/>.</summary>
    public RecommendAnswer Recommend(RecommendQuery query)
    {
        using var lease = Lease();
        return Answer(lease, query);
    }

    /// <summary>Answers several requests, all from the same snapshot.</summary>
    public IReadOnlyList<RecommendAnswer> RecommendBatch(IReadOnlyList<RecommendQuery> queries)
    {
        ArgumentNullException.ThrowIfNull(queries);
        if (queries.Count > Options.MaxBatch) throw new ArgumentOutOfRangeException("requests", queries.Count, $"a batch may hold at most {Options.MaxBatch} requests.");
        using var lease = Lease();
        var answers = new RecommendAnswer[queries.Count];
        for (int i = 0; i < answers.Length; i++) answers[i] = Answer(lease, queries[i] ?? throw new ArgumentException($"request {i} is null.", "requests"));
        return answers;
    }

    /// <summary>The <paramref name="k"/> items most similar to raw item <paramref name="item"/>; an unknown item is a <see cref="KeyNotFoundException"/>.</summary>
    public SimilarAnswer SimilarItems(string item, int k)
    {
        ArgumentNullException.ThrowIfNull(item);
        using var lease = Lease();
        var s = lease.Snapshot;
        CheckK(k, s.Recommender.NumItems - 1);
        if (!s.Items.TryRow(item, out int row)) throw new KeyNotFoundException($"unknown item '{item}'.");
        var r = s.Recommender.SimilarItems(row, k);
        return new SimilarAnswer(item, Scored(s, r.Items, r.Scores), s.Version, lease.Generation);
    }

    /// <summary>
    /// Loads a snapshot with <paramref name="loader"/> on a worker thread, warms it with one request, publishes it
    /// atomically and releases the previous one. Swaps run one at a time; on failure the current snapshot stays.
    /// </summary>
    public async Task<ModelInfo> SwapAsync(Func<CancellationToken, ServingSnapshot> loader, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(loader);
        await _swapGate.WaitAsync(cancel).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var next = await Task.Run(() => loader(cancel), cancel).ConfigureAwait(false);
            try
            {
                cancel.ThrowIfCancellationRequested();
                Warm(next);
            }
            catch
            {
                next.Dispose();
                throw;
            }
            // Swaps are serialised by the gate, so reading the generation and then exchanging cannot lose an increment.
            long generation = Volatile.Read(ref _current).Generation + 1;
            var old = Interlocked.Exchange(ref _current, new Published(next, generation));
            old.Snapshot.Dispose(); // the service's reference; requests still holding one keep it alive
            var r = next.Recommender;
            return new ModelInfo(next.Version, generation, next.Kind, r.NumItems, next.Users.Count, r.Dim, next.LoadedAt);
        }
        finally
        {
            _swapGate.Release();
        }
    }

    /// <summary>A reference to the current snapshot and its generation, held until disposed.</summary>
    private SnapshotLease Lease()
    {
        while (true)
        {
            var p = Volatile.Read(ref _current);
            ObjectDisposedException.ThrowIf(_disposed, this);
            // A snapshot swapped out and released between the read and the acquire cannot be leased: read again.
            if (p.Snapshot.TryAcquire()) return new SnapshotLease(p.Snapshot, p.Generation);
        }
    }

    private static void Warm(ServingSnapshot s)
    {
        var r = s.Recommender;
        if (r.NumItems > 1) r.SimilarItems(0, 1);
        if (s.Users.Count > 0 && (r.NumUsers > 0 || r.Snapshot.ReadsHistories)) r.Recommend(new RecommendRequest { User = 0, K = 1, ExcludeSeen = false });
    }

    private RecommendAnswer Answer(SnapshotLease lease, RecommendQuery q)
    {
        var p = Prepare(lease.Snapshot, lease.Generation, q);
        return p.Answer ?? Search(lease, q, p);
    }

    /// <summary>
    /// Answers one request like <see cref="Recommend"/>; with <see cref="ServingOptions.BatchRequests"/> a known user's
    /// request without a history or allow list is searched together with the other requests waiting at that moment
    /// (same answer, fewer passes over the item vectors).
    /// </summary>
    public async ValueTask<RecommendAnswer> RecommendAsync(RecommendQuery query)
    {
        using var lease = Lease();
        var s = lease.Snapshot;
        var p = Prepare(s, lease.Generation, query);
        if (p.Answer is { } done) return done;
        if (!Options.BatchRequests || p.User is not { } user || p.History is { Length: > 0 } || p.Allow is not null || s.Recommender.Snapshot.Ranker is not null)
            return Search(lease, query, p);
        var excluded = new HashSet<int>(p.Exclude ?? []);
        if (query.ExcludeSeen && s.Recommender.Data.Seen is { } seen && user < seen.Rows) excluded.UnionWith(seen.Row(user).ToArray());
        var (items, scores) = await s.Batcher(Options).SearchAsync(user, query.K, [.. excluded.Order()]).ConfigureAwait(false);
        return new RecommendAnswer(Scored(s, items, scores), s.Version, lease.Generation, null, p.Unknown, p.UnknownUser);
    }

    /// <summary>A request in rows: its user, history and filters, ids the data does not know, and the answer when no search is needed.</summary>
    private sealed record Prepared(int? User, int[]? History, int[]? Exclude, int[]? Allow, List<string> Unknown, bool UnknownUser, RecommendAnswer? Answer);

    private Prepared Prepare(ServingSnapshot s, long generation, RecommendQuery q)
    {
        ArgumentNullException.ThrowIfNull(q);
        var rec = s.Recommender;
        CheckK(q.K, rec.NumItems);
        if (q.History is { Count: var h } && h > Options.MaxHistory) throw new ArgumentOutOfRangeException("history", h, $"a history may hold at most {Options.MaxHistory} items.");
        if (q.Exclude is { Count: var e } && e > Options.MaxFilterItems) throw new ArgumentOutOfRangeException("exclude", e, $"an exclude list may hold at most {Options.MaxFilterItems} items.");
        if (q.Allow is { Count: var a } && a > Options.MaxFilterItems) throw new ArgumentOutOfRangeException("allow", a, $"an allow list may hold at most {Options.MaxFilterItems} items.");

        var unknown = new List<string>();
        int[]? Rows(IReadOnlyList<string>? ids)
        {
            if (ids is null) return null;
            var rows = new List<int>(ids.Count);
            foreach (var id in ids)
            {
                if (id is not null && s.Items.TryRow(id, out int row)) rows.Add(row);
                else unknown.Add(id ?? "null");
            }
            return rows.ToArray();
        }
        var history = Rows(q.History);
        var exclude = Rows(q.Exclude);
        var allow = Rows(q.Allow);
        if (q.Attributes is { } names)
        {
            if (names.Count > Options.MaxFilterItems) throw new ArgumentOutOfRangeException("attributes", names.Count, $"an attribute filter may name at most {Options.MaxFilterItems} attributes.");
            var carrying = s.Attributes.ItemsWithAll(names);
            allow = allow is null ? carrying : [.. allow.Where(new HashSet<int>(carrying).Contains)];
        }
        int? user = q.User is { } uid && s.Users.TryRow(uid, out int u) ? u : null;
        bool unknownUser = q.User is not null && user is null;

        bool canPersonalize = user is { } known && (rec.Snapshot.HasUserRow(known) || rec.Snapshot.ReadsHistories)
            || user is null && history is { Length: > 0 } && rec.Snapshot.ReadsHistories;
        RecommendAnswer? fallback = canPersonalize ? null
            : new RecommendAnswer(Popular(s, q.K, q.ExcludeSeen ? Seen(rec, user, history) : null, exclude, allow), s.Version, generation, PopularityFallback, unknown, unknownUser);
        return new Prepared(user, history, exclude, allow, unknown, unknownUser, fallback);
    }

    private static RecommendAnswer Search(SnapshotLease lease, RecommendQuery q, Prepared p)
    {
        var s = lease.Snapshot;
        var r = s.Recommender.Recommend(new RecommendRequest
        {
            User = p.User,
            // A known user with a row is answered from the row; the history still counts as seen.
            History = p.History is { Length: > 0 } ? p.History : null,
            K = q.K, ExcludeSeen = q.ExcludeSeen, Exclude = p.Exclude, Allow = p.Allow,
        });
        return new RecommendAnswer(Scored(s, r.Items, r.Scores), s.Version, lease.Generation, null, p.Unknown, p.UnknownUser);
    }

    /// <summary>What a fallback answer leaves out as seen: the known user's training items and the given history.</summary>
    private static int[] Seen(FittedRecommender rec, int? user, int[]? history)
    {
        var seen = new List<int>(history ?? []);
        if (user is { } u && rec.Data.Seen is { } all && u < all.Rows) seen.AddRange(all.Row(u).ToArray());
        return [.. seen];
    }

    private static List<ScoredItem> Popular(ServingSnapshot s, int k, int[]? seen, int[]? exclude, int[]? allow)
    {
        var skip = new HashSet<int>((seen ?? []).Concat(exclude ?? []));
        HashSet<int>? only = allow is null ? null : [.. allow];
        var items = new List<ScoredItem>(k);
        foreach (var i in s.PopularOrder)
        {
            if (items.Count == k) break;
            if (skip.Contains(i) || only is not null && !only.Contains(i)) continue;
            items.Add(new ScoredItem(s.Items.Name(i), s.PopularCounts[i]));
        }
        return items;
    }

    private void CheckK(int k, int items)
    {
        int max = Math.Min(Options.MaxK, items);
        if (k < 1 || k > max) throw new ArgumentOutOfRangeException("k", k, $"must be in 1..{max} (the service allows up to {Options.MaxK}; the model ranks {items} items).");
    }

    private static List<ScoredItem> Scored(ServingSnapshot s, int[] items, float[] scores)
    {
        var list = new List<ScoredItem>(items.Length);
        for (int i = 0; i < items.Length; i++) list.Add(new ScoredItem(s.Items.Name(items[i]), scores[i]));
        return list;
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        Volatile.Read(ref _current).Snapshot.Dispose(); // idempotent; requests in flight keep their own references
        _swapGate.Dispose();
    }

    private sealed record Published(ServingSnapshot Snapshot, long Generation);

    /// <summary>A leased snapshot; disposing it releases the reference.</summary>
    private readonly struct SnapshotLease(ServingSnapshot snapshot, long generation) : IDisposable
    {
        public ServingSnapshot Snapshot { get; } = snapshot;
        public long Generation { get; } = generation;
        public void Dispose() => Snapshot.Release();
    }
}
