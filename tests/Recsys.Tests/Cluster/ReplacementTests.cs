using System.Diagnostics;
using Recsys.Retrieval.Mips;
using Recsys.Serving.Cluster;
using Xunit.Abstractions;

namespace Recsys.Tests.Cluster;

/// <summary>
/// Re-placement when membership changes: a silo that joins takes replicas, a silo that leaves has its replicas loaded
/// again on the silos left, every shard back to r copies on distinct silos — while queries keep answering exactly.
/// </summary>
[Collection(FailoverCollection.Name)]
public sealed class ReplacementTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Replicas_spread_to_a_joining_silo_and_come_back_to_r_when_one_leaves()
    {
        const int n = 2400, d = 16, k = 10, nq = 6;
        var items = ItemFiles.Random(n, d, 61, coarse: false);
        var spec = new ShardSetSpec { Version = "replace", ItemsFile = ItemFiles.Write(items, d, "npy"), Count = n, Dim = d, Shards = 3, Replicas = 2 };
        using var single = new ExactCpuMipsIndex(items, d);
        await using var cluster = await ShardCluster.StartAsync(2);
        await cluster.Client.GetGrain<IShardSetCoordinatorGrain>(0).Prepare(spec);
        using var index = new ClusterMipsIndex(cluster.Client, spec);

        // Queries run the whole time; every answer must equal the single index's.
        int answered = 0, wrong = 0;
        var failures = new List<string>();
        using var stop = new CancellationTokenSource();
        var load = Task.Run(async () =>
        {
            for (int round = 0; !stop.IsCancellationRequested; round++)
            {
                var queries = ItemFiles.Random(nq, d, 5000 + round, coarse: false);
                var exclude = new Exclusions([0, 1, 1, 3, 3, 3, 4], [round % n, (round * 7) % n, (round * 7 + 1) % n, (round * 11) % n]);
                try
                {
                    var got = index.Search(queries, k, exclude);
                    var want = single.Search(queries, k, exclude);
                    if (got.Ids.SequenceEqual(want.Ids) && got.Scores.SequenceEqual(want.Scores)) Interlocked.Increment(ref answered);
                    else Interlocked.Increment(ref wrong);
                }
                catch (Exception e) { lock (failures) failures.Add($"{e.GetType().Name}: {e.Message}"); }
                await Task.Delay(15);
            }
        });

        // Two silos: 6 replicas, three on each.
        await WaitForLayout(cluster, spec, 2, "two silos");

        var sw = Stopwatch.StartNew();
        var joined = await cluster.Cluster.StartAdditionalSiloAsync();
        await WaitForLayout(cluster, spec, 3, "a third silo joined");
        output.WriteLine($"join: replicas spread over 3 silos {sw.Elapsed.TotalSeconds:F1} s after the silo started");

        sw.Restart();
        await cluster.Cluster.StopSiloAsync(joined);
        await WaitForLayout(cluster, spec, 2, "the third silo left");
        output.WriteLine($"leave: every shard back to 2 replicas {sw.Elapsed.TotalSeconds:F1} s after the silo stopped");

        await Task.Delay(300);
        await stop.CancelAsync();
        await load;
        output.WriteLine($"{answered} queries answered exactly, {wrong} wrong, {failures.Count} failed");
        Assert.Equal(0, wrong);
        Assert.True(failures.Count == 0, string.Join("; ", failures.Take(5)));
        Assert.True(answered > 20, $"only {answered} queries answered.");
    }

    /// <summary>
    /// Waits until the version's replicas are exactly where the placement rule puts them over the <paramref name="silos"/>
    /// active silos: every shard has all its replicas, siblings on distinct silos, and each silo holds its share.
    /// </summary>
    private async Task WaitForLayout(ShardCluster cluster, ShardSetSpec spec, int silos, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(45);
        string last = "";
        while (true)
        {
            var active = cluster.Cluster.GetActiveSilos().Select(s => s.SiloAddress).ToArray();
            var status = await ClusterStatus.ReadAsync(cluster.Client);
            var v = status.Versions.SingleOrDefault(x => x.Version == spec.Id);
            if (active.Length == silos && v is not null)
            {
                var ordered = ReplicaPlacementDirector.Order(active);
                bool byRule = v.Shards.Count == spec.Shards && v.Shards.All(sh => sh.Replicas.Count == spec.Replicas
                    && sh.Replicas.All(r => r.Silo == ReplicaPlacementDirector.Target(sh.Shard, r.Replica, ordered).ToParsableString()));
                last = string.Join("; ", v.Shards.Select(sh => $"{sh.Shard}: {string.Join(",", sh.Replicas.Select(r => $"{r.Replica}@{r.Silo}"))}"));
                if (byRule)
                {
                    // The rule keeps siblings apart and gives each silo r·S/n replicas.
                    Assert.All(v.Shards, sh => Assert.Equal(sh.Replicas.Count, sh.Replicas.Select(r => r.Silo).Distinct().Count()));
                    var perSilo = v.Shards.SelectMany(sh => sh.Replicas).GroupBy(r => r.Silo).Select(g => g.Count()).ToArray();
                    Assert.Equal(silos, perSilo.Length);
                    Assert.True(perSilo.Max() - perSilo.Min() <= 1, $"uneven spread: {last}");
                    return;
                }
            }
            if (Environment.GetEnvironmentVariable("RECSYS_TRACE") is not null) output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.f} {active.Length} active: {last}");
            Assert.True(DateTime.UtcNow < deadline, $"{what}: replicas not placed by the rule over {silos} silos in time ({active.Length} active; {last}).");
            await Task.Delay(200);
        }
    }
}
