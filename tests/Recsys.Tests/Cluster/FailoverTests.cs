using System.Diagnostics;
using Recsys.Retrieval.Mips;
using Recsys.Serving.Cluster;
using Xunit.Abstractions;

namespace Recsys.Tests.Cluster;

/// <summary>A silo lost mid-run: queries keep answering, exactly, from the other replicas.</summary>
[Collection(FailoverCollection.Name)]
public sealed class FailoverTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(false)] // the silo shuts down
    [InlineData(true)]  // the silo dies without a word (its sockets just close)
    public async Task Queries_keep_answering_exactly_when_a_silo_is_lost(bool kill)
    {
        const int n = 3000, d = 16, k = 10, nq = 8;
        var items = ItemFiles.Random(n, d, 51, coarse: false);
        var file = ItemFiles.Write(items, d, "npy");
        var spec = new ShardSetSpec { Version = "failover", ItemsFile = file, Count = n, Dim = d, Shards = 3, Replicas = 2 };
        using var single = new ExactCpuMipsIndex(items, d);
        await using var cluster = await ShardCluster.StartAsync(3);
        var infos = await cluster.Client.GetGrain<IShardSetCoordinatorGrain>(0).Prepare(spec);
        using var index = new ClusterMipsIndex(cluster.Client, spec);

        // 6 replicas over 3 silos: every silo holds two. Not the first silo: the test cluster's membership lives there.
        Assert.All(infos.GroupBy(i => i.Silo), g => Assert.Equal(2, g.Count()));
        var victim = cluster.Cluster.Silos[1];
        int answered = 0, failed = 0, wrong = 0, round = 0;
        var failures = new List<string>();
        var lost = TimeSpan.Zero;
        var sw = Stopwatch.StartNew();
        var stopAt = TimeSpan.MaxValue;
        var slowest = TimeSpan.Zero;
        while (sw.Elapsed < TimeSpan.FromSeconds(90))
        {
            if (round == 20)
            {
                lost = sw.Elapsed;
                var stop = kill ? cluster.Cluster.KillSiloAsync(victim) : cluster.Cluster.StopSiloAsync(victim);
                _ = stop.ContinueWith(t => _ = t.Exception, TaskScheduler.Default);
                stopAt = sw.Elapsed + TimeSpan.FromSeconds(4); // keep querying for a while after the loss
            }
            // Past the loss for a while and for enough queries (on a loaded machine a round can take long).
            if (sw.Elapsed > stopAt && round >= 45) break;
            var queries = ItemFiles.Random(nq, d, 1000 + round, coarse: false);
            var exclude = new Exclusions([0, 0, 1, 2, 2, 2, 2, 2, 3], [round % n, (round * 7) % n, (round * 13) % n]);
            var t0 = sw.Elapsed;
            try
            {
                var got = await Task.Run(() => index.Search(queries, k, exclude));
                if (lost > TimeSpan.Zero && sw.Elapsed - t0 > slowest) slowest = sw.Elapsed - t0;
                var want = single.Search(queries, k, exclude);
                if (got.Ids.SequenceEqual(want.Ids) && got.Scores.SequenceEqual(want.Scores)) answered++;
                else wrong++;
            }
            catch (Exception e)
            {
                failed++;
                failures.Add($"{(sw.Elapsed - lost).TotalSeconds:F1}s: {e.GetType().Name}: {e.Message}");
            }
            round++;
            await Task.Delay(20);
        }
        Assert.True(stopAt != TimeSpan.MaxValue, "the silo was never stopped.");
        Assert.Equal(0, wrong);
        Assert.True(failed == 0, $"{failed} of {answered + failed} queries failed: {string.Join("; ", failures.Take(5))}");
        Assert.True(answered > 40, $"only {answered} queries answered.");
        output.WriteLine($"{(kill ? "killed" : "stopped")}: {answered} answered exactly, 0 failed; slowest query after the loss {slowest.TotalMilliseconds:F0} ms");

        // Re-placement: the lost replicas come back on the two silos left, so the version again has every replica.
        var alive = cluster.Cluster.GetActiveSilos().Select(s => s.SiloAddress.ToParsableString()).ToHashSet();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var status = await ClusterStatus.ReadAsync(cluster.Client);
            var v = status.Versions.SingleOrDefault(x => x.Version == spec.Id);
            if (v is not null && v.Shards.Count == 3 && v.Shards.All(sh => sh.Replicas.Count == 2 && sh.Replicas.All(r => alive.Contains(r.Silo)))) break;
            Assert.True(DateTime.UtcNow < deadline, "the lost replicas were not placed again.");
            await Task.Delay(200);
        }
    }
}
