using Recsys.Data;
using Recsys.Retrieval.Recommenders;
using Recsys.Serving;
using Recsys.Serving.Cluster;
using Recsys.Tests.Infrastructure;
using Recsys.Training;

namespace Recsys.Tests.Cluster;

/// <summary>
/// A trained model served with its items on the cluster answers exactly like the same model served from one process:
/// every user, with seen-item exclusion, exclude and allow lists; a swap flips versions and retires the old shards.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterServingTests(ClusterFixture fixture)
{
    [Fact]
    public void Trained_model_on_the_cluster_answers_like_one_process()
    {
        var (data, run) = (TrainedRuns.Data, TrainedRuns.RunA);
        using var local = ServingSnapshot.Load(run, data, Tc.Catalog);
        using var remote = ClusterServing.Load(run, data, Tc.Catalog, fixture.Cluster.Client, new ClusterLayout { Shards = 3, Replicas = 2 });
        Assert.IsType<ClusterMipsIndex>(remote.Recommender.Index);
        int items = data.NumItems;
        var rng = new Random(5);
        for (int u = 0; u < data.NumUsers; u++)
        {
            var exclude = Enumerable.Range(0, 5).Select(_ => rng.Next(items)).Distinct().ToArray();
            var allow = Enumerable.Range(0, 30).Select(_ => rng.Next(items)).Distinct().ToArray();
            foreach (var request in new[]
            {
                new RecommendRequest { User = u, K = 10 },
                new RecommendRequest { User = u, K = 7, Exclude = exclude },
                new RecommendRequest { User = u, K = 12, Exclude = exclude, Allow = allow },
                new RecommendRequest { User = u, K = 5, ExcludeSeen = false },
            })
            {
                var want = local.Recommender.Recommend(request);
                var got = remote.Recommender.Recommend(request);
                Assert.Equal(want.Items, got.Items);
                Assert.Equal(want.Scores, got.Scores);
            }
        }
        // The batch path evaluation uses: every user at once, seen items excluded.
        var users = Enumerable.Range(0, data.NumUsers).ToArray();
        var batchWant = local.Recommender.Search(users, 20);
        var batchGot = remote.Recommender.Search(users, 20);
        Assert.Equal(batchWant.Ids, batchGot.Ids);
        Assert.Equal(batchWant.Scores, batchGot.Scores);
    }

    [Fact]
    public async Task A_swap_loads_every_shard_first_then_flips_and_retires_the_old_version()
    {
        var (data, runA, runB) = (TrainedRuns.Data, TrainedRuns.RunA, TrainedRuns.RunB);
        var client = fixture.Cluster.Client;
        var snapshotA = ClusterServing.Load(runA, data, Tc.Catalog, client);
        var specA = ((ClusterMipsIndex)snapshotA.Recommender.Index).Spec;
        using var service = new RecommendationService(snapshotA);
        using var localB = ServingSnapshot.Load(runB, data, Tc.Catalog);
        var before = service.Recommend(new RecommendQuery { User = "0", K = 10 });

        ShardSetSpec? specB = null;
        var info = await service.SwapAsync(_ =>
        {
            var next = ClusterServing.Load(runB, data, Tc.Catalog, client);
            specB = ((ClusterMipsIndex)next.Recommender.Index).Spec;
            return next;
        });
        Assert.Equal(2, info.Generation);
        var after = service.Recommend(new RecommendQuery { User = "0", K = 10 });
        var want = localB.Recommender.Recommend(new RecommendRequest { User = 0, K = 10 });
        Assert.Equal(want.Items.Select(i => i.ToString()), after.Items.Select(i => i.Item));
        Assert.NotEqual(before.Items.Select(i => i.Item), after.Items.Select(i => i.Item));

        // The old version's shards are unloaded once the service let go of it; the new one's stay.
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var versions = (await ClusterStatus.ReadAsync(client)).Versions.Select(v => v.Version).ToList();
            Assert.Contains(specB!.Id, versions);
            if (!versions.Contains(specA.Id)) break;
            Assert.True(DateTime.UtcNow < deadline, "the swapped-out version's shards are still loaded.");
            await Task.Delay(100);
        }
    }

    [Fact]
    public void Items_that_differ_from_the_model_are_refused()
    {
        var (data, run) = (TrainedRuns.Data, TrainedRuns.RunA);
        // A copy of the run whose item file was replaced by other vectors of the same shape.
        var copy = Path.Combine(TestPaths.NewTempDir(), "run-tampered");
        Directory.CreateDirectory(copy);
        foreach (var f in Directory.GetFiles(run)) File.Copy(f, Path.Combine(copy, Path.GetFileName(f)));
        var folder = new RunFolder(copy);
        var x = Recsys.IO.EmbeddingFile.Read(folder.ItemEmbeddingsFile, out int n, out int d);
        x[(n - 1) * d] += 1;
        Recsys.IO.EmbeddingFile.Write(folder.ItemEmbeddingsFile, x, n, d);
        var e = Assert.Throws<ClusterMismatchException>(() => ClusterServing.Load(copy, data, Tc.Catalog, fixture.Cluster.Client));
        Assert.Contains("differ from the model's item vectors", e.Message);
    }
}
