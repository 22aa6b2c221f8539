using Recsys.Retrieval.Recommenders;
using Recsys.Serving;

namespace Recsys.Tests.Serving;

/// <summary>The library: answers equal the fitted recommender's, cold users fall back, ids are raw, swaps drop nothing.</summary>
[Collection(ServingCollection.Name)]
public sealed class RecommendationServiceTests(ServingFixture f)
{
    [Fact]
    public void Answers_equal_the_fitted_recommender_for_every_user()
    {
        using var service = new RecommendationService(f.Snapshot(f.RunA, "a"));
        using var reference = RunFolderRecommender.Load(f.RunA, f.Data, Tc.Catalog);
        var ids = reference.Data;
        for (int u = 0; u < f.Data.NumUsers; u++)
        {
            var expected = reference.Recommend(new RecommendRequest { User = u, K = 10 });
            var got = service.Recommend(new RecommendQuery { User = u.ToString(System.Globalization.CultureInfo.InvariantCulture), K = 10 });
            Assert.Null(got.Fallback);
            Assert.Equal(expected.Items.Select(ids.ItemName), got.Items.Select(i => i.Item));
            Assert.Equal(expected.Scores, got.Items.Select(i => i.Score));
        }
    }

    [Fact]
    public void Similar_items_equal_the_fitted_recommender()
    {
        using var service = new RecommendationService(f.Snapshot(f.RunA, "a"));
        using var reference = RunFolderRecommender.Load(f.RunA, f.Data, Tc.Catalog);
        var expected = reference.SimilarItems(5, 7);
        var got = service.SimilarItems("5", 7);
        Assert.Equal(expected.Items.Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), got.Items.Select(i => i.Item));
        Assert.Throws<KeyNotFoundException>(() => service.SimilarItems("nope", 3));
    }

    [Fact]
    public void Unknown_user_without_history_gets_popularity_with_filters()
    {
        using var service = new RecommendationService(f.Snapshot(f.RunA, "a"));
        var (order, _) = Popularity.Rank(f.Data.Train, f.Data.NumItems);
        var got = service.Recommend(new RecommendQuery { User = "stranger", K = 5, Exclude = [order[0].ToString(System.Globalization.CultureInfo.InvariantCulture), "ghost"] });
        Assert.Equal(RecommendationService.PopularityFallback, got.Fallback);
        Assert.True(got.UnknownUser);
        Assert.Equal(["ghost"], got.UnknownItems);
        Assert.Equal(order.Skip(1).Take(5).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), got.Items.Select(i => i.Item));
        // No user at all is cold too; MF cannot encode a history, so a history-only request falls back without its items.
        var hist = service.Recommend(new RecommendQuery { History = ["3", "x"], K = 80 - 1 });
        Assert.Equal(RecommendationService.PopularityFallback, hist.Fallback);
        Assert.DoesNotContain("3", hist.Items.Select(i => i.Item));
        Assert.Equal(["x"], hist.UnknownItems);
    }

    [Fact]
    public void A_fallback_leaves_out_the_given_history_unless_seen_items_are_kept()
    {
        // MF has no user encoder, so a history without a user is answered from popularity; the history counts as seen.
        using var service = new RecommendationService(f.Snapshot(f.RunA, "a"));
        var seen = f.Data.Train.Users.Zip(f.Data.Train.Items).Where(p => p.First == 0).Select(p => p.Second.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var cold = service.Recommend(new RecommendQuery { History = seen, K = 10 });
        Assert.Equal(RecommendationService.PopularityFallback, cold.Fallback);
        Assert.Empty(cold.Items.Select(i => i.Item).Intersect(seen));
        var keep = service.Recommend(new RecommendQuery { History = seen, K = 80, ExcludeSeen = false });
        Assert.Equal(80, keep.Items.Count);
    }

    [Fact]
    public void Limits_are_argument_errors()
    {
        using var service = new RecommendationService(f.Snapshot(f.RunA, "a"), new ServingOptions { MaxK = 50, MaxHistory = 2 });
        Assert.Throws<ArgumentOutOfRangeException>(() => service.Recommend(new RecommendQuery { User = "0", K = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => service.Recommend(new RecommendQuery { User = "0", K = 51 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => service.Recommend(new RecommendQuery { User = "0", History = ["1", "2", "3"] }));
        using var small = new RecommendationService(f.Snapshot(f.RunA, "a"));
        Assert.Throws<ArgumentOutOfRangeException>(() => small.Recommend(new RecommendQuery { User = "0", K = 81 })); // over the item count
    }

    private const int MaxRequests = 20_000;

    [Fact]
    public async Task Batched_requests_get_the_same_answers_as_single_ones()
    {
        using var service = new RecommendationService(f.Snapshot(f.RunA, "a"), new ServingOptions { BatchRequests = true, MaxCoalesced = 8, BatchWorkers = 2 });
        using var reference = RunFolderRecommender.Load(f.RunA, f.Data, Tc.Catalog);
        // Mixed k, exclude lists and excludeSeen, all in flight at once so batches form.
        var queries = Enumerable.Range(0, 4 * f.Data.NumUsers).Select(i => new RecommendQuery
        {
            User = (i % f.Data.NumUsers).ToString(System.Globalization.CultureInfo.InvariantCulture),
            K = 1 + i % 12, ExcludeSeen = i % 3 != 0, Exclude = i % 4 == 0 ? ["1", "2", "3"] : null,
        }).ToArray();
        var answers = await Task.WhenAll(queries.Select(q => Task.Run(async () => await service.RecommendAsync(q))));
        for (int i = 0; i < queries.Length; i++)
        {
            var q = queries[i];
            var expected = reference.Recommend(new RecommendRequest { User = int.Parse(q.User!), K = q.K, ExcludeSeen = q.ExcludeSeen, Exclude = q.Exclude?.Select(int.Parse).ToArray() });
            Assert.Equal(expected.Items.Select(reference.Data.ItemName), answers[i].Items.Select(x => x.Item));
            Assert.Equal(expected.Scores, answers[i].Items.Select(x => x.Score));
        }
        var (searches, answered) = service.BatchStats;
        Assert.Equal(queries.Length, answered);
        Assert.True(searches < answered, $"{searches} searches for {answered} requests: nothing was coalesced");
        // Requests the batcher does not take (history, allow lists, cold users) answer as before.
        var cold = await service.RecommendAsync(new RecommendQuery { User = "nobody", K = 3 });
        Assert.Equal(RecommendationService.PopularityFallback, cold.Fallback);
        var allowed = await service.RecommendAsync(new RecommendQuery { User = "0", K = 2, Allow = ["4", "5", "6"] });
        Assert.All(allowed.Items, x => Assert.Contains(x.Item, new[] { "4", "5", "6" }));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Hot_swaps_under_concurrent_requests_drop_nothing_and_never_mix_versions(bool batch)
    {
        // Expected answers per model, computed once: each answer must match the model its version names.
        var expected = new Dictionary<string, string[][]>();
        foreach (var (name, run) in new[] { ("a", f.RunA), ("b", f.RunB) })
        {
            using var r = RunFolderRecommender.Load(run, f.Data, Tc.Catalog);
            expected[name] = Enumerable.Range(0, f.Data.NumUsers).Select(u => r.Recommend(new RecommendRequest { User = u, K = 10 }).Items.Select(r.Data.ItemName).ToArray()).ToArray();
        }
        Assert.NotEqual(expected["a"], expected["b"]);

        var service = new RecommendationService(f.Snapshot(f.RunA, "a#1"), new ServingOptions { BatchRequests = batch });
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        int failures = 0, answered = 0;
        var versions = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
        var swapsDone = new TaskCompletionSource();
        var swaps = Task.Run(async () =>
        {
            for (int s = 2; s <= 7; s++)
            {
                var (name, run) = s % 2 == 0 ? ("b", f.RunB) : ("a", f.RunA);
                await service.SwapAsync(_ => f.Snapshot(run, $"{name}#{s}"), cts.Token);
                await Task.Delay(5, cts.Token);
            }
            swapsDone.SetResult();
        }, cts.Token);
        var clients = Enumerable.Range(0, 4).Select(t => Task.Run(async () =>
        {
            // At least 200 requests each, and on until the last swap (bounded by MaxRequests).
            for (int i = 0; i < MaxRequests && (i < 200 || !swapsDone.Task.IsCompleted); i++)
            {
                // In-process answers complete synchronously, so without a yield four clients can hold the pool's
                // threads and starve the swap task on a busy 2-core machine until their request budget runs out.
                await Task.Yield();
                int u = (t * 200 + i) % f.Data.NumUsers;
                try
                {
                    var ans = await service.RecommendAsync(new RecommendQuery { User = u.ToString(System.Globalization.CultureInfo.InvariantCulture), K = 10 });
                    var model = ans.Version[..1];
                    if (!ans.Items.Select(x => x.Item).SequenceEqual(expected[model][u])) Interlocked.Increment(ref failures);
                    versions.AddOrUpdate(ans.Version, 1, (_, n) => n + 1);
                    Interlocked.Increment(ref answered);
                }
                catch (Exception)
                {
                    Interlocked.Increment(ref failures);
                }
            }
        }, cts.Token)).ToArray();
        await Task.WhenAll([.. clients, swaps]);

        Assert.Equal(0, failures);
        Assert.True(answered >= 800);
        Assert.Equal(7, service.Generation);
        Assert.Equal("a#7", service.Model.Version);
        Assert.True(versions.Count >= 2, $"the clients saw only {string.Join(", ", versions.Keys)}");
        service.Dispose();
    }

    [Fact]
    public async Task A_swapped_out_snapshot_is_disposed_once_unused()
    {
        var a = f.Snapshot(f.RunA, "a");
        var service = new RecommendationService(a);
        await service.SwapAsync(_ => f.Snapshot(f.RunB, "b"));
        Assert.True(a.IsDisposed); // no request held it
        Assert.Equal("b", service.Recommend(new RecommendQuery { User = "1", K = 3 }).Version);
        await Assert.ThrowsAsync<InvalidOperationException>(() => service.SwapAsync(_ => throw new InvalidOperationException("load failed")));
        Assert.Equal("b", service.Model.Version); // a failed load keeps the current model
        service.Dispose();
    }

    [Fact]
    public void Batch_answers_come_from_one_version()
    {
        using var service = new RecommendationService(f.Snapshot(f.RunA, "a"), new ServingOptions { MaxBatch = 3 });
        var answers = service.RecommendBatch([new RecommendQuery { User = "0", K = 2 }, new RecommendQuery { User = "nobody", K = 2 }]);
        Assert.Equal(2, answers.Count);
        Assert.Null(answers[0].Fallback);
        Assert.Equal(RecommendationService.PopularityFallback, answers[1].Fallback);
        Assert.Throws<ArgumentOutOfRangeException>(() => service.RecommendBatch(Enumerable.Repeat(new RecommendQuery { User = "0" }, 4).ToArray()));
    }
}
