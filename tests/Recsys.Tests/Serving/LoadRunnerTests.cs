using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using Recsys.Serving;
using Recsys.Serving.Http;
using Recsys.Serving.Load;
using Recsys.Tests.Infrastructure;

namespace Recsys.Tests.Serving;

/// <summary>The load client against the host on a loopback socket: bounded runs (about a second), real HTTP.</summary>
[Collection(ServingCollection.Name)]
public sealed class LoadRunnerTests(ServingFixture f)
{
    private const string Token = "test-admin-token";

    private async Task<(WebApplication App, RecommendationService Service, Uri Url)> StartAsync()
    {
        var service = new RecommendationService(f.Snapshot(f.RunA, "a"), new ServingOptions { AdminToken = Token, ReloadRoots = [f.Root] });
        var app = ServingHost.Build(service, (r, d) => ServingSnapshot.Load(r, d, Tc.Catalog), b =>
        {
            b.WebHost.UseUrls("http://127.0.0.1:0");
            b.Logging.ClearProviders();
        });
        await app.StartAsync();
        return (app, service, new Uri(Assert.Single(app.Urls)));
    }

    private static async Task StopAsync(WebApplication app, RecommendationService service)
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await app.StopAsync(stop.Token);
        await app.DisposeAsync();
        service.Dispose();
    }

    private LoadRequests Requests() => LoadRequests.ForUsers(f.Data, 5, 1, ServingJson.Options);

    [Fact]
    public async Task Measures_a_bounded_run_and_every_checked_answer_agrees_with_the_library()
    {
        var (app, service, url) = await StartAsync();
        try
        {
            using var oracle = new RecommendationService(f.Snapshot(f.RunA, "a"));
            var report = await LoadRunner.RunAsync(new LoadOptions { Url = url, Clients = 4, Duration = TimeSpan.FromSeconds(1), Warmup = TimeSpan.FromMilliseconds(200), MaxRequests = 2000 },
                Requests(), oracle.Recommend, checkedRequests: 20);
            Assert.True(report.Requests > 0);
            Assert.True(report.Requests <= 2000);
            Assert.Equal(0, report.Failed);
            Assert.True(report.Checked > 0);
            Assert.Equal(0, report.Mismatches);
            Assert.Equal(report.Requests, report.Latency.Count);
            Assert.True(report.Latency.P50 <= report.Latency.P99 && report.Latency.P99 <= report.Latency.Max);
            Assert.Equal(report.Requests, report.Timeline.Sum(t => t.Requests));
        }
        finally { await StopAsync(app, service); }
    }

    [Fact]
    public async Task Answers_from_another_model_are_reported_as_mismatches()
    {
        var (app, service, url) = await StartAsync();
        try
        {
            using var other = new RecommendationService(f.Snapshot(f.RunB, "b"));
            var report = await LoadRunner.RunAsync(new LoadOptions { Url = url, Clients = 2, Duration = TimeSpan.FromMilliseconds(500), Warmup = TimeSpan.Zero, MaxRequests = 500 },
                Requests(), other.Recommend, checkedRequests: 20);
            Assert.True(report.Mismatches > 0);
            Assert.NotNull(report.FirstMismatch);
        }
        finally { await StopAsync(app, service); }
    }

    [Fact]
    public async Task Hot_swaps_during_load_drop_no_request_and_every_answer_stays_correct()
    {
        var (app, service, url) = await StartAsync();
        try
        {
            using var oracle = new RecommendationService(f.Snapshot(f.RunA, "a"));
            // Ended by the swaps, not by the clock: on a loaded machine a reload can take seconds, and a fixed duration
            // would end the run before the second one. The run stops half a second after the second swap answers (so
            // answers of the new generation come in), and the duration only bounds a run whose swaps hang.
            using var enough = new CancellationTokenSource();
            var swapsDone = new SwapCounter(2, () => enough.CancelAfter(TimeSpan.FromMilliseconds(500)));
            var report = await LoadRunner.RunAsync(new LoadOptions
            {
                Url = url, Clients = 4, Duration = TimeSpan.FromSeconds(30), Warmup = TimeSpan.Zero, MaxRequests = 20_000_000,
                SwapEvery = TimeSpan.FromMilliseconds(300), Swap = new SwapTarget(f.RunA, f.DataDir, Token),
            }, Requests(), oracle.Recommend, checkedRequests: 60, progress: swapsDone, cancel: enough.Token);
            Assert.True(report.Swaps.Count >= 2, $"{report.Swaps.Count} swap(s) in {report.Seconds:0.00} s");
            Assert.All(report.Swaps, s => Assert.Equal(200, s.Status));
            Assert.Equal(0, report.Failed);
            Assert.Equal(0, report.Mismatches);
            Assert.True(report.GenerationsSeen >= 2, $"answers came from {report.GenerationsSeen} generation(s)");
            Assert.True(service.Generation >= 3);
        }
        finally { await StopAsync(app, service); }
    }

    /// <summary>Calls <paramref name="then"/> once, when the runner has reported <paramref name="count"/> swaps.</summary>
    private sealed class SwapCounter(int count, Action then) : IProgress<string>
    {
        private int _seen;

        public void Report(string value)
        {
            if (value.StartsWith("swap at", StringComparison.Ordinal) && Interlocked.Increment(ref _seen) == count) then();
        }
    }

    [Fact]
    public async Task A_refused_service_counts_failures_instead_of_throwing()
    {
        // A bound socket that never listens: connections to its port are refused, and no server another test starts
        // meanwhile can take the port (a listener stopped again would free it for them).
        using var bound = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        bound.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        int port = ((System.Net.IPEndPoint)bound.LocalEndPoint!).Port;
        var report = await LoadRunner.RunAsync(new LoadOptions { Url = new Uri($"http://127.0.0.1:{port}"), Clients = 1, Duration = TimeSpan.FromMilliseconds(300), Warmup = TimeSpan.Zero, MaxRequests = 50 },
            Requests());
        Assert.True(report.Failed > 0);
        Assert.Equal(report.Requests, report.Failed);
        Assert.Equal(0, report.Latency.Count);
    }

    [Fact]
    public void Answer_check_accepts_reordered_ties_and_rejects_other_scores()
    {
        var expected = new RecommendAnswer([new ScoredItem("a", 3f), new ScoredItem("b", 2f), new ScoredItem("c", 2f)], "v", 1, null, [], false);
        static byte[] Body(string items) => System.Text.Encoding.UTF8.GetBytes($$"""{"items": [{{items}}], "generation": 4}""");
        Assert.Null(AnswerCheck.Difference(Body("""{"item":"a","score":3},{"item":"c","score":2},{"item":"b","score":2}"""), expected, out var g));
        Assert.Equal(4, g);
        Assert.Null(AnswerCheck.Difference(Body("""{"item":"a","score":3},{"item":"b","score":2},{"item":"d","score":2}"""), expected, out _)); // a tie at the cut
        Assert.NotNull(AnswerCheck.Difference(Body("""{"item":"b","score":2},{"item":"c","score":2},{"item":"d","score":2}"""), expected, out _));
        Assert.NotNull(AnswerCheck.Difference(Body("""{"item":"x","score":3},{"item":"b","score":2},{"item":"c","score":2}"""), expected, out _));
        Assert.NotNull(AnswerCheck.Difference(Body("""{"item":"a","score":3}"""), expected, out _));
        Assert.NotNull(AnswerCheck.Difference("not json"u8, expected, out _));
    }

    [Fact]
    public void Request_files_name_the_bad_line()
    {
        var path = Path.Combine(TestPaths.NewTempDir(), "requests.jsonl");
        File.WriteAllLines(path, ["""{"user": "1", "k": 5}""", "", """{"k": 5}""", """{"user": "2"}"""]);
        Assert.Contains(":3:", Assert.Throws<InvalidDataException>(() => LoadRequests.FromFile(path, ServingJson.Options)).Message);
        File.WriteAllLines(path, ["""{"user": "1", "k": 5}""", "[1, 2]"]);
        Assert.Contains(":2:", Assert.Throws<InvalidDataException>(() => LoadRequests.FromFile(path, ServingJson.Options)).Message);
        File.WriteAllLines(path, ["""{"user": "1", "k": 5}""", """{"history": ["3", "4"], "k": 2, "attributes": ["x"]}"""]);
        var ok = LoadRequests.FromFile(path, ServingJson.Options);
        Assert.Equal(2, ok.Count);
        Assert.Equal(["x"], ok.Queries[1].Attributes!);
    }
}
