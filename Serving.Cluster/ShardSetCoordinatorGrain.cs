using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using Recsys.Data;
using Recsys.Retrieval.Mips;

namespace Recsys.Serving.Cluster;

/// <summary>
/// <see cref="IShardSetCoordinatorGrain"/>: fans a batch out to one replica of every shard in parallel (round robin
/// over replicas, suspect ones last), cuts exclusions and the allow list to each shard's range, and merges the per-shard
/// top-k with <see cref="TopKMerge"/> (score descending, ties to the lower global id) — the answer of one exact index.
/// A replica that does not answer (silo lost, connection refused, timeout) is marked suspect, re-placed in the
/// background, and the next replica is asked; errors that every replica would repeat (bad input) are not retried.
/// </summary>
[StatelessWorker, Reentrant]
public sealed class ShardSetCoordinatorGrain(ReplicaHealth health, CoordinatorOptions options, ILogger<ShardSetCoordinatorGrain> log) : Grain, IShardSetCoordinatorGrain
{
    private static int _roundRobin;

    public async Task<ShardHits> Search(ShardSetSpec spec, ShardSearch search)
    {
        spec.Validate();
        Check(spec, search);
        var offsets = new int[spec.Shards];
        var calls = new Task<ShardHits>[spec.Shards];
        int first = Interlocked.Increment(ref _roundRobin) & int.MaxValue;
        for (int s = 0; s < spec.Shards; s++)
        {
            var (start, count) = spec.Range(s);
            offsets[s] = start;
            var part = search.ForRange(start, count);
            calls[s] = part.Allow is { Length: 0 } ? Task.FromResult(Empty(search.NumQueries, search.K, spec.Id)) : Ask(spec, s, first + s, part);
        }
        var parts = await Task.WhenAll(calls);
        return ShardHits.From(TopKMerge.Merge([.. parts.Select(p => p.ToResult())], search.K, offsets), spec.Id);
    }

    public async Task<ShardInfo[]> Prepare(ShardSetSpec spec)
    {
        spec.Validate();
        var loads = new List<Task<ShardInfo>>();
        for (int s = 0; s < spec.Shards; s++)
            for (int r = 0; r < spec.Replicas; r++)
                loads.Add(GrainFactory.GetGrain<IItemShardGrain>(spec.GrainKey(s, r)).Load(spec));
        var infos = await Task.WhenAll(loads);
        foreach (var s in infos.GroupBy(i => i.Start))
            if (s.Select(i => i.Checksum).Distinct().Count() > 1)
                throw new InvalidDataException($"the replicas of items {s.Key}.. read different vectors from {spec.ItemsFile} (was it rewritten while loading?).");
        for (int s = 0; s < spec.Shards; s++) for (int r = 0; r < spec.Replicas; r++) health.Clear(spec.GrainKey(s, r));
        return infos;
    }

    public async Task Retire(ShardSetSpec spec)
    {
        spec.Validate();
        var calls = new List<Task>();
        for (int s = 0; s < spec.Shards; s++)
            for (int r = 0; r < spec.Replicas; r++)
                calls.Add(GrainFactory.GetGrain<IItemShardGrain>(spec.GrainKey(s, r)).Unload());
        try { await Task.WhenAll(calls); }
        catch (Exception e) when (!IsCallerError(e)) { log.LogWarning("retiring {Version}: {Error}", spec.Id, e.Message); }
    }

    /// <summary>Shard <paramref name="shard"/>'s answer from the first replica that gives one.</summary>
    private async Task<ShardHits> Ask(ShardSetSpec spec, int shard, int first, ShardSearch part)
    {
        var order = health.Order(spec, shard, first);
        Exception? last = null;
        for (int i = 0; i < order.Length; i++)
        {
            var key = spec.GrainKey(shard, order[i]);
            var grain = GrainFactory.GetGrain<IItemShardGrain>(key);
            try
            {
                // Every replica but the last refuses at once while it loads (just placed or moved), so the query goes on to one that holds its rows.
                var call = grain.Search(spec, part, mayWait: i == order.Length - 1);
                // A deadline sized to the scan's work: a silo that died without closing its connections costs one
                // attempt timeout, a slow block of many users is not repeated on a second replica; the last replica
                // gets four times as long.
                var deadline = options.DeadlineFor(part.NumQueries, spec.Range(shard).Count, spec.Dim);
                return await call.WaitAsync(i < order.Length - 1 ? deadline : 4 * deadline);
            }
            catch (Exception e) when (!IsCallerError(e))
            {
                last = e;
                if (e is ReplicaLoadingException) log.LogInformation("replica {Key} is loading; trying another", key);
                else log.LogWarning("replica {Key} did not answer ({Error}); trying another", key, e.GetType().Name);
                health.Suspect(key);
                _ = Replace(grain, spec, key);
            }
        }
        throw new ShardUnavailableException($"no replica of shard {shard} of {spec.Id} answered.", last);
    }

    /// <summary>Calls the replica again in the background: once membership has dropped its silo, this re-places and loads it.</summary>
    private async Task Replace(IItemShardGrain grain, ShardSetSpec spec, string key)
    {
        for (int attempt = 0; attempt < 20; attempt++)
        {
            try
            {
                await Task.Delay(options.ReplaceDelay);
                await grain.Load(spec).WaitAsync(options.ReplaceTimeout);
                health.Clear(key);
                log.LogInformation("replica {Key} answers again", key);
                return;
            }
            catch (Exception e) when (!IsCallerError(e)) { }
            catch (Exception e) { log.LogWarning("replica {Key} cannot be re-placed: {Error}", key, e.Message); return; }
        }
    }

    /// <summary>Errors in the request or the data, which another replica would repeat.</summary>
    internal static bool IsCallerError(Exception e) =>
        e is ArgumentException or DataFormatException or FileNotFoundException or InvalidDataException or ShardUnavailableException;

    private static void Check(ShardSetSpec spec, ShardSearch s)
    {
        if (s.K < 1) throw new ArgumentOutOfRangeException("k", s.K, "must be ≥ 1.");
        if (s.NumQueries < 0 || s.Queries.Length != (long)s.NumQueries * spec.Dim)
            throw new ArgumentException($"{s.Queries.Length} query values for {s.NumQueries} queries of width {spec.Dim}.", "queries");
        if (s.ExcludePtr is { } ptr && (ptr.Length != s.NumQueries + 1 || ptr[0] != 0 || ptr[^1] != (s.ExcludeIds?.Length ?? 0)))
            throw new ArgumentException("the exclusion rows do not match the queries.", "exclude");
    }

    private static ShardHits Empty(int n, int k, string version)
    {
        var ids = new int[n * k];
        var scores = new float[n * k];
        ids.AsSpan().Fill(TopK.PaddingId);
        scores.AsSpan().Fill(float.NegativeInfinity);
        return new ShardHits { NumQueries = n, K = k, Ids = ids, Scores = scores, VersionId = version };
    }
}
