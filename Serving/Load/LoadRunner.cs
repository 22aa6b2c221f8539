using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;

namespace Recsys.Serving.Load;

/// <summary>
/// Runs a bounded closed-loop load against a recommendation service over HTTP (see <see cref="LoadOptions"/>) and
/// reports throughput, latency percentiles and failures. Answers to requests spread evenly over the set (every time
/// they come round) are checked against an oracle — the library's in-process answer — and optional hot swaps are requested
/// on a timer while the load runs.
/// </summary>
public static class LoadRunner
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    /// <param name="options">Target, concurrency, duration and bounds.</param>
    /// <param name="requests">Request bodies, taken round-robin by all callers.</param>
    /// <param name="oracle">The expected answer to a query (null: no answer check).</param>
    /// <param name="checkedRequests">How many requests, spread evenly over the set, are checked whenever they are sent.</param>
    /// <param name="progress">A line per phase (warm-up, measuring, swaps).</param>
    /// <param name="cancel">Stops the run early; what was measured is reported.</param>
    public static async Task<LoadReport> RunAsync(LoadOptions options, LoadRequests requests, Func<RecommendQuery, RecommendAnswer>? oracle = null,
        int checkedRequests = 200, IProgress<string>? progress = null, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(requests);
        options.Validate();
        int checks = oracle is null ? 0 : Math.Min(checkedRequests, requests.Count);
        int stride = checks == 0 ? 1 : requests.Count / checks;
        var expected = new RecommendAnswer?[checks];
        for (int i = 0; i < checks; i++) expected[i] = oracle!(requests.Queries[i * stride]);

        using var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = options.Clients, UseProxy = false, AllowAutoRedirect = false, UseCookies = false,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
        };
        using var http = new HttpClient(handler) { BaseAddress = options.Url, Timeout = options.Timeout };
        var target = new Uri(options.Url, options.Path);

        long freq = Stopwatch.Frequency;
        long start = Stopwatch.GetTimestamp();
        long measureFrom = start + (long)(options.Warmup.TotalSeconds * freq);
        long measureTo = measureFrom + (long)(options.Duration.TotalSeconds * freq);
        var shared = new Shared(requests, expected, stride, options.MaxRequests);
        progress?.Report(options.Warmup > TimeSpan.Zero ? $"warming up {options.Warmup.TotalSeconds:0.#} s" : "measuring");
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        var callers = Enumerable.Range(0, options.Clients).Select(_ => Task.Run(() => CallerAsync(http, target, shared, measureFrom, measureTo, stop.Token))).ToArray();
        var swaps = new List<SwapRecord>();
        // Swaps go over their own connection: in the callers' pool (one connection per caller, all busy) a reload would
        // wait for a free one, and its recorded time would be the client's queue rather than the service's swap.
        using var adminHandler = new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false, UseCookies = false };
        using var admin = new HttpClient(adminHandler) { BaseAddress = options.Url, Timeout = options.Timeout };
        var swapping = options.SwapEvery is { } every ? Task.Run(() => SwapLoopAsync(admin, options.Swap!, every, measureFrom, measureTo, swaps, progress, stop.Token)) : Task.CompletedTask;
        if (options.Warmup > TimeSpan.Zero)
        {
            try { await Task.Delay(options.Warmup, cancel).ConfigureAwait(false); } catch (OperationCanceledException) { }
            progress?.Report($"measuring {options.Duration.TotalSeconds:0.#} s with {options.Clients} clients");
        }
        var logs = await Task.WhenAll(callers).ConfigureAwait(false);
        stop.Cancel();
        try { await swapping.ConfigureAwait(false); } catch (OperationCanceledException) { }
        double seconds = Math.Min(Stopwatch.GetTimestamp(), measureTo) - measureFrom;
        seconds = Math.Max(seconds, 1) / freq;
        return Summarise(options, logs, swaps, seconds, measureFrom, freq, shared);
    }

    /// <summary>State the callers share: the request counter, the checked answers and the measured-request budget.</summary>
    private sealed class Shared(LoadRequests requests, RecommendAnswer?[] expected, int stride, long budget)
    {
        public readonly LoadRequests Requests = requests;
        /// <summary>The expected answer of request i · Stride, for the checked requests.</summary>
        public readonly RecommendAnswer?[] Expected = expected;
        public readonly int Stride = stride;
        public long Next = -1;
        public long Budget = budget;
        public long Mismatches;
        public string? FirstMismatch;
        public readonly HashSet<long> Generations = [];
    }

    /// <summary>What one caller saw in the measured part.</summary>
    private sealed class CallerLog
    {
        public readonly List<long> Starts = [];
        public readonly List<double> Ms = [];
        public readonly List<bool> Ok = [];
        public readonly Dictionary<string, long> Failures = [];
        public long Checked;
    }

    private static async Task<CallerLog> CallerAsync(HttpClient http, Uri target, Shared s, long measureFrom, long measureTo, CancellationToken cancel)
    {
        var log = new CallerLog();
        long freq = Stopwatch.Frequency;
        while (!cancel.IsCancellationRequested)
        {
            long t0 = Stopwatch.GetTimestamp();
            if (t0 >= measureTo) break;
            bool measured = t0 >= measureFrom;
            if (measured && Interlocked.Decrement(ref s.Budget) < 0) break;
            int index = (int)(Interlocked.Increment(ref s.Next) % s.Requests.Count);
            string? failure = null;
            byte[]? body = null;
            try
            {
                using var content = new ByteArrayContent(s.Requests.Bodies[index]);
                content.Headers.ContentType = Json;
                using var response = await http.PostAsync(target, content, cancel).ConfigureAwait(false);
                body = await response.Content.ReadAsByteArrayAsync(cancel).ConfigureAwait(false);
                if (!response.IsSuccessStatusCode) failure = ((int)response.StatusCode).ToString();
            }
            catch (OperationCanceledException) when (cancel.IsCancellationRequested) { break; }
            catch (TaskCanceledException) { failure = "timeout"; }
            catch (HttpRequestException e) { failure = e.HttpRequestError.ToString(); }
            long t1 = Stopwatch.GetTimestamp();
            if (!measured) continue;
            log.Starts.Add(t0);
            log.Ms.Add((t1 - t0) * 1000.0 / freq);
            log.Ok.Add(failure is null);
            if (failure is not null) { log.Failures[failure] = log.Failures.GetValueOrDefault(failure) + 1; continue; }
            if (index % s.Stride == 0 && index / s.Stride < s.Expected.Length && s.Expected[index / s.Stride] is { } want)
            {
                log.Checked++;
                var diff = AnswerCheck.Difference(body, want, out long? generation);
                lock (s)
                {
                    if (generation is { } g) s.Generations.Add(g);
                    if (diff is not null) { s.Mismatches++; s.FirstMismatch ??= $"request {index}: {diff}"; }
                }
            }
        }
        return log;
    }

    private static async Task SwapLoopAsync(HttpClient http, SwapTarget swap, TimeSpan every, long measureFrom, long measureTo, List<SwapRecord> swaps,
        IProgress<string>? progress, CancellationToken cancel)
    {
        long freq = Stopwatch.Frequency;
        long next = measureFrom + (long)(every.TotalSeconds * freq);
        while (next < measureTo)
        {
            var wait = TimeSpan.FromSeconds((double)(next - Stopwatch.GetTimestamp()) / freq);
            if (wait > TimeSpan.Zero) await Task.Delay(wait, cancel).ConfigureAwait(false);
            long t0 = Stopwatch.GetTimestamp();
            int status = 0; string? error = null;
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, "/admin/reload") { Content = JsonContent.Create(new { run = swap.Run, data = swap.Data }) };
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", swap.AdminToken);
                using var response = await http.SendAsync(request, cancel).ConfigureAwait(false);
                status = (int)response.StatusCode;
                if (!response.IsSuccessStatusCode) error = await response.Content.ReadAsStringAsync(cancel).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancel.IsCancellationRequested) { return; }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { error = e.Message; }
            long t1 = Stopwatch.GetTimestamp();
            var record = new SwapRecord((double)(t0 - measureFrom) / freq, (double)(t1 - t0) / freq, status, error);
            lock (swaps) swaps.Add(record);
            progress?.Report($"swap at {record.At:0.0} s: {(error is null ? $"{status} in {record.Seconds * 1000:0} ms" : $"failed ({status}) {error}")}");
            next += (long)(every.TotalSeconds * freq);
        }
    }

    private static LoadReport Summarise(LoadOptions o, CallerLog[] logs, List<SwapRecord> swaps, double seconds, long measureFrom, long freq, Shared s)
    {
        var failures = new Dictionary<string, long>();
        foreach (var log in logs)
            foreach (var (k, v) in log.Failures) failures[k] = failures.GetValueOrDefault(k) + v;
        long requests = logs.Sum(l => (long)l.Ms.Count);
        var ok = new List<double>();
        var around = new List<double>();
        int buckets = Math.Max(1, (int)Math.Ceiling(seconds));
        var perSecond = Enumerable.Range(0, buckets).Select(_ => new List<double>()).ToArray();
        var windows = swaps.Select(w => (From: w.At, To: w.At + w.Seconds + 1.0)).ToArray();
        foreach (var log in logs)
            for (int i = 0; i < log.Ms.Count; i++)
            {
                if (!log.Ok[i]) continue;
                double ms = log.Ms[i];
                double startedAt = (double)(log.Starts[i] - measureFrom) / freq, endedAt = startedAt + ms / 1000;
                ok.Add(ms);
                perSecond[Math.Clamp((int)endedAt, 0, buckets - 1)].Add(ms);
                if (windows.Any(w => startedAt < w.To && endedAt > w.From)) around.Add(ms);
            }
        var timeline = perSecond.Select((l, i) => new LoadSecond(i, l.Count, l.Count == 0 ? 0 : LatencySummary.Of([.. l]).P99)).ToList();
        return new LoadReport
        {
            Url = o.Url, Clients = o.Clients, Seconds = seconds, Requests = requests, Failed = failures.Values.Sum(), Failures = failures,
            Latency = LatencySummary.Of([.. ok]), Checked = logs.Sum(l => l.Checked), Mismatches = s.Mismatches, FirstMismatch = s.FirstMismatch,
            GenerationsSeen = s.Generations.Count, Swaps = swaps.OrderBy(w => w.At).ToList(), LatencyAroundSwaps = LatencySummary.Of([.. around]), Timeline = timeline,
        };
    }
}
