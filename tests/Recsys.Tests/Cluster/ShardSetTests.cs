using Recsys.Retrieval.Mips;
using Recsys.Serving.Cluster;

namespace Recsys.Tests.Cluster;

/// <summary>
/// The cluster's merged answers against one exact index over all items (bit-equal ids and scores, ties to the lower
/// id), with exclusions and allow lists; replica placement; versions.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ShardSetTests(ClusterFixture fixture)
{
    private IClusterClient Client => fixture.Cluster.Client;

    private static ShardSetSpec Spec(string file, int n, int d, int shards, int replicas = 2, string version = "v1") =>
        new() { Version = version, ItemsFile = file, Count = n, Dim = d, Shards = shards, Replicas = replicas };

    /// <summary>Exclusion rows: query q excludes a seeded handful of ids spread over every shard.</summary>
    private static Exclusions RandomExclusions(int queries, int n, int seed)
    {
        var rng = new Random(seed);
        var ptr = new int[queries + 1];
        var ids = new List<int>();
        for (int q = 0; q < queries; q++)
        {
            ids.AddRange(Enumerable.Range(0, rng.Next(0, 40)).Select(_ => rng.Next(n)).Distinct().Order());
            ptr[q + 1] = ids.Count;
        }
        return new Exclusions(ptr, [.. ids]);
    }

    private static void SameAnswer(MipsResult expected, MipsResult actual)
    {
        Assert.Equal(expected.NumQueries, actual.NumQueries);
        Assert.Equal(expected.K, actual.K);
        Assert.Equal(expected.Ids, actual.Ids);
        Assert.Equal(expected.Scores, actual.Scores); // bit-equal: the shards run the same kernel on the same rows
    }

    [Theory]
    [InlineData("arrow", false, 3, 10)]
    [InlineData("npy", false, 4, 25)]
    [InlineData("arrow", true, 3, 10)]   // many exact ties across shard boundaries
    [InlineData("npy", true, 5, 700)]    // k larger than a shard: padding and every item ranked
    public void Merged_answers_equal_one_exact_index(string ext, bool coarse, int shards, int k)
    {
        const int n = 2003, d = 12, nq = 37;
        var items = ItemFiles.Random(n, d, 7, coarse);
        var file = ItemFiles.Write(items, d, ext);
        var queries = ItemFiles.Random(nq, d, 8, coarse);
        var exclude = RandomExclusions(nq, n, 9);
        using var single = new ExactCpuMipsIndex(items, d);
        using var cluster = new ClusterMipsIndex(Client, Spec(file, n, d, shards, version: $"merge-{ext}-{coarse}-{shards}"));

        SameAnswer(single.Search(queries, k, exclude), cluster.Search(queries, k, exclude));
        SameAnswer(single.Search(queries, k), cluster.Search(queries, k));
        if (coarse)
        {
            // The tie rule holds across shards: equal scores come out in increasing id order.
            var r = cluster.Search(queries, k, exclude);
            for (int q = 0; q < nq; q++)
                for (int j = 1; j < k && r.Ids[q * k + j] >= 0; j++)
                    if (r.Scores[q * k + j] == r.Scores[q * k + j - 1]) Assert.True(r.Ids[q * k + j] > r.Ids[q * k + j - 1]);
        }
    }

    [Fact]
    public void Allow_lists_are_exact_and_combine_with_exclusions()
    {
        const int n = 1500, d = 8, nq = 20, k = 15;
        var items = ItemFiles.Random(n, d, 11, coarse: true);
        var file = ItemFiles.Write(items, d, "arrow");
        var queries = ItemFiles.Random(nq, d, 12, coarse: true);
        var exclude = RandomExclusions(nq, n, 13);
        using var single = new IdMapIndex(new ExactCpuMipsIndex(items, d), Enumerable.Range(0, n).ToArray());
        using var cluster = new ClusterMipsIndex(Client, Spec(file, n, d, 3, version: "allow"));
        var rng = new Random(14);
        // A sparse allow list (over-fetch alone cannot fill k), one confined to a single shard, one too short for k, and an empty one.
        int[][] allows = [
            [.. Enumerable.Range(0, 200).Select(_ => rng.Next(n)).Distinct()],
            [.. Enumerable.Range(600, 300)],
            [3, 777, 1499, 42],
            [],
        ];
        foreach (var allow in allows)
        {
            var request = new MipsSearchRequest { K = k, Exclude = exclude, Allow = allow };
            SameAnswer(single.Search(queries, request), cluster.Search(queries, request));
        }
    }

    [Fact]
    public async Task Every_replica_of_a_shard_is_on_another_silo()
    {
        const int n = 900, d = 4;
        var file = ItemFiles.Write(ItemFiles.Random(n, d, 21, false), d, "npy");
        var spec = Spec(file, n, d, shards: 3, replicas: 2, version: "placement");
        var infos = await Client.GetGrain<IShardSetCoordinatorGrain>(0).Prepare(spec);
        Assert.Equal(6, infos.Length);
        foreach (var shard in infos.GroupBy(i => i.Start))
        {
            Assert.Equal(2, shard.Select(i => i.Silo).Distinct().Count());
            Assert.Equal(spec.Range(shard.Key / (n / 3)).Count, shard.First().Count);
        }
        // Every silo holds work: 6 replicas over 3 silos, two each.
        Assert.All(infos.GroupBy(i => i.Silo), g => Assert.Equal(2, g.Count()));

        var status = await ClusterStatus.ReadAsync(Client);
        Assert.Equal(3, status.Silos.Count(s => s.Status == "Active"));
        var version = Assert.Single(status.Versions, v => v.Version == spec.Id);
        Assert.Equal(3, version.Shards.Count);
        Assert.All(version.Shards, s => Assert.Equal(2, s.Replicas.Select(r => r.Silo).Distinct().Count()));
    }

    [Fact]
    public async Task A_query_is_answered_by_its_own_version_and_a_retired_version_unloads()
    {
        const int n = 800, d = 6, k = 10;
        var itemsA = ItemFiles.Random(n, d, 31, false);
        var itemsB = ItemFiles.Random(n, d, 32, false);
        var specA = Spec(ItemFiles.Write(itemsA, d, "arrow"), n, d, 3, version: "swap-a");
        var specB = Spec(ItemFiles.Write(itemsB, d, "arrow"), n, d, 3, version: "swap-b");
        var queries = ItemFiles.Random(5, d, 33, false);
        using var singleA = new ExactCpuMipsIndex(itemsA, d);
        using var singleB = new ExactCpuMipsIndex(itemsB, d);
        var coordinator = Client.GetGrain<IShardSetCoordinatorGrain>(0);
        await coordinator.Prepare(specA);
        await coordinator.Prepare(specB);
        // Both versions are loaded at once (mid-swap): each query gets the answer of the version it names.
        var a = new ClusterMipsIndex(Client, specA);
        var b = new ClusterMipsIndex(Client, specB, retireOnDispose: true);
        SameAnswer(singleA.Search(queries, k), a.Search(queries, k));
        SameAnswer(singleB.Search(queries, k), b.Search(queries, k));
        var hits = await coordinator.Search(specA, ShardSearch.From(queries, 5, k, null, null));
        Assert.Equal(specA.Id, hits.VersionId);

        b.Dispose();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while ((await ClusterStatus.ReadAsync(Client)).Versions.Any(v => v.Version == specB.Id))
        {
            Assert.True(DateTime.UtcNow < deadline, "the retired version's shards are still active.");
            await Task.Delay(100);
        }
        Assert.Contains((await ClusterStatus.ReadAsync(Client)).Versions, v => v.Version == specA.Id);
        a.Dispose();
    }

    [Fact]
    public async Task Bad_requests_fail_with_the_reason_and_are_not_retried()
    {
        const int n = 100, d = 4;
        var file = ItemFiles.Write(ItemFiles.Random(n, d, 41, false), d, "arrow");
        var wrongDim = Spec(file, n, 5, 2, version: "wrong-dim");
        var e = await Assert.ThrowsAnyAsync<Exception>(() => Client.GetGrain<IShardSetCoordinatorGrain>(0).Prepare(wrongDim));
        Assert.Contains("5", e.Message);
        var missing = Spec(Path.Combine(Path.GetDirectoryName(file)!, "absent.npy"), n, d, 2, version: "missing");
        var m = await Assert.ThrowsAnyAsync<Exception>(() => Client.GetGrain<IShardSetCoordinatorGrain>(0).Prepare(missing));
        Assert.Contains("absent.npy", m.Message);
        using var index = new ClusterMipsIndex(Client, Spec(file, n, d, 2, version: "bad-query"));
        Assert.Throws<ArgumentException>(() => index.Search(new float[7], 3));
    }
}
