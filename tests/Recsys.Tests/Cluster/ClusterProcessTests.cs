using System.Diagnostics;
using System.Globalization;
using Recsys.Serving;
using Recsys.Serving.Cluster;
using Recsys.Serving.Load;
using Recsys.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Recsys.Tests.Cluster;

/// <summary>A fact skipped (not failed) when <c>redis-server</c> is not on PATH (<c>.ci/run</c> installs it).</summary>
public sealed class RequiresRedisFactAttribute : FactAttribute
{
    public RequiresRedisFactAttribute()
    {
        if (RedisServer is null) Skip = "redis-server not found on PATH (apt-get install redis-server; .ci/run installs it)";
    }

    public static string? RedisServer { get; } = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
        .Select(d => Path.Combine(d, "redis-server")).FirstOrDefault(File.Exists);
}

/// <summary>
/// The cluster as a user runs it, on loopback: redis-server on a free port, three <c>recsys silo</c> processes and
/// <c>recsys serve --cluster</c>; a bounded closed-loop load runs while one silo process is killed with SIGKILL. The
/// answers must stay exact (checked against the same model served in-process) and no request may fail; the worst
/// latency after the kill is the failover window. Everything started is stopped in the end.
/// </summary>
[Collection(FailoverCollection.Name)]
[Trait("Category", "Cluster")]
public sealed class ClusterProcessTests(ITestOutputHelper output)
{
    [RequiresRedisFact]
    public async Task Three_silo_processes_survive_a_sigkill_under_load_with_exact_answers()
    {
        var processes = new List<ChildProcess>();
        try
        {
            int redisPort = ClusterSilo.FreePort();
            var redis = ChildProcess.Start("redis", RequiresRedisFactAttribute.RedisServer!, "--port", redisPort.ToString(CultureInfo.InvariantCulture),
                "--bind", "127.0.0.1", "--save", "", "--appendonly", "no");
            processes.Add(redis);
            await redis.WaitForAsync("Ready to accept connections", TimeSpan.FromSeconds(20));
            string cluster = $"redis://127.0.0.1:{redisPort}", id = "test-" + Guid.NewGuid().ToString("N")[..8];

            var silos = Enumerable.Range(0, 3).Select(i => ChildProcess.Recsys($"silo{i}", "silo", "--cluster", cluster, "--cluster-id", id, "--name", $"s{i}")).ToList();
            processes.AddRange(silos);
            foreach (var s in silos) await s.WaitForAsync(@"^silo .* up: ", TimeSpan.FromSeconds(90));

            var serve = ChildProcess.Recsys("serve", "serve", "--cluster", cluster, "--cluster-id", id, "--run", TrainedRuns.RunA, "--data", TrainedRuns.DataDir, "--port", "0");
            processes.Add(serve);
            var url = (await serve.WaitForAsync(@" on (http://127\.0\.0\.1:\d+)", TimeSpan.FromSeconds(90))).Groups[1].Value;

            // The status verb sees three silos and every replica of the served version.
            var (code, text, err) = CliHarness.Run("cluster", "status", "--cluster", cluster, "--cluster-id", id, "--json");
            Assert.True(code == 0, err);
            var status = System.Text.Json.JsonDocument.Parse(text).RootElement;
            Assert.Equal(3, status.GetProperty("silos").EnumerateArray().Count(s => s.GetProperty("status").GetString() == "Active"));
            var version = Assert.Single(status.GetProperty("versions").EnumerateArray());
            Assert.All(version.GetProperty("shards").EnumerateArray(), s => Assert.Equal(2, s.GetProperty("replicas").GetArrayLength()));

            using var oracle = new RecommendationService(ServingSnapshot.Load(TrainedRuns.RunA, TrainedRuns.Data, Tc.Catalog));
            var requests = LoadRequests.ForUsers(TrainedRuns.Data, 10, 1, ServingJson.Options);
            var load = new LoadOptions { Url = new Uri(url), Clients = 4, Warmup = TimeSpan.FromSeconds(1), Duration = TimeSpan.FromSeconds(9), Timeout = TimeSpan.FromSeconds(10) };
            var sw = Stopwatch.StartNew();
            var running = LoadRunner.RunAsync(load, requests, oracle.Recommend, checkedRequests: 70);
            await Task.Delay(TimeSpan.FromSeconds(4));
            silos[1].Signal("KILL");
            double killedAt = sw.Elapsed.TotalSeconds;
            var report = await running;

            output.WriteLine($"{report.Requests} requests in {report.Seconds:F1} s ({report.RequestsPerSecond:F0}/s), {report.Failed} failed, " +
                             $"{report.Checked} checked, {report.Mismatches} wrong; latency p50 {report.Latency.P50:F1} ms, p99 {report.Latency.P99:F1} ms, " +
                             $"max {report.Latency.Max:F0} ms (silo killed at {killedAt:F1} s)");
            Assert.True(report.Failed == 0, $"{report.Failed} requests failed: {string.Join(", ", report.Failures.Select(f => $"{f.Key} × {f.Value}"))}\n" +
                                            $"front end:\n{serve.Output}\nsilo0:\n{Tail(silos[0].Output)}\nsilo2:\n{Tail(silos[2].Output)}");
            Assert.True(report.Mismatches == 0, report.FirstMismatch);
            Assert.True(report.Checked > 50, $"only {report.Checked} answers were checked.");

            // Stopping: the front end and the two silos left exit cleanly on SIGTERM.
            foreach (var p in new[] { serve, silos[0], silos[2] }) p.Signal("TERM");
            foreach (var p in new[] { serve, silos[0], silos[2] })
            {
                using var exit = new CancellationTokenSource(TimeSpan.FromSeconds(40));
                await p.Process.WaitForExitAsync(exit.Token);
                Assert.True(p.Process.ExitCode == 0, $"{p.Name} exited with {p.Process.ExitCode}:\n{p.Output}");
            }
        }
        finally
        {
            foreach (var p in processes) p.Dispose();
        }
    }

    private static string Tail(string text, int lines = 40) => string.Join('\n', text.Split('\n').TakeLast(lines));
}
