using System.CommandLine;
using System.Text.Json;
using Recsys.Catalog;
using Recsys.Data;
using Recsys.Eval.Reports;
using Recsys.IO;
using Recsys.Serving;
using Recsys.Serving.Load;
using Spectre.Console;

namespace Recsys.Cli.Commands;

/// <summary>
/// <c>recsys bench serve --url [LABEL=]URL ... (--data DIR | --requests FILE) [--run RUN] [--clients 32] [--duration 30s]</c>:
/// a bounded closed-loop load client. Each target is measured in turn (for <c>--rounds</c> alternating rounds), its
/// answers checked against the library's in-process answers when <c>--run</c> is given, optionally with a hot swap
/// every <c>--swap-every</c>. Exits 1 when any request failed or any checked answer differed.
/// </summary>
public static class BenchServeCommand
{
    public static Command Create(RecsysCatalog catalog)
    {
        var urls = new Option<string[]>("--url") { Description = "Service to load, as URL or LABEL=URL (repeatable; targets are measured in turn, the first is the reference of the ratios).", Required = true, AllowMultipleArgumentsPerToken = false };
        var data = new Option<string?>("--data") { Description = "Dataset folder: one request per user ({\"user\", \"k\"}), seeded order; also the oracle's data." };
        var requestsFile = new Option<string?>("--requests") { Description = "JSON-lines file of request bodies (instead of one per user of --data)." };
        var run = new Option<string?>("--run") { Description = "Run folder served by the targets: checks sampled answers against the library's in-process answers (needs --data)." };
        var clients = new Option<int>("--clients") { Description = "Concurrent closed-loop callers.", DefaultValueFactory = _ => 32 };
        var duration = new Option<string>("--duration") { Description = "Measured time per target and round (e.g. 30s, 2m).", DefaultValueFactory = _ => "30s" };
        var warmup = new Option<string>("--warmup") { Description = "Unmeasured load before each measurement.", DefaultValueFactory = _ => "3s" };
        var k = new Option<int>("--k") { Description = "k of the generated per-user requests.", DefaultValueFactory = _ => 20 };
        var seed = new Option<int>("--seed") { Description = "Order of the generated requests.", DefaultValueFactory = _ => 7 };
        var rounds = new Option<int>("--rounds") { Description = "Alternating rounds over the targets (so drift on a noisy machine hits each alike).", DefaultValueFactory = _ => 1 };
        var check = new Option<int>("--check") { Description = "How many requests, spread evenly over the set, are checked whenever they are sent (0 = none).", DefaultValueFactory = _ => 200 };
        var maxRequests = new Option<long>("--max-requests") { Description = "Most measured requests per target and round.", DefaultValueFactory = _ => 10_000_000L };
        var swapEvery = new Option<string?>("--swap-every") { Description = "Request a hot swap (POST /admin/reload) this often while measuring (e.g. 5s); recsys targets only." };
        var swapRun = new Option<string?>("--swap-run") { Description = "Run folder each swap loads (default: --run)." };
        var swapData = new Option<string?>("--swap-data") { Description = "Dataset folder each swap loads (default: --data)." };
        var token = new Option<string?>("--admin-token") { Description = $"Admin token of the target (default: ${ServeCommand.AdminTokenVariable})." };
        var output = new Option<string?>("--out") { Description = "Write the report as JSON here and the per-second timeline beside it as PNG." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object." };
        var cmd = new Command("serve", "Closed-loop HTTP load on recommendation services: req/s, P50/P95/P99/max latency, failures, answer checks, hot swaps.");
        foreach (var o in new Option[] { urls, data, requestsFile, run, clients, duration, warmup, k, seed, rounds, check, maxRequests, swapEvery, swapRun, swapData, token, output, json }) cmd.Options.Add(o);
        cmd.MapParameters(("Clients", "--clients"), ("Duration", "--duration"), ("Warmup", "--warmup"), ("MaxRequests", "--max-requests"), ("SwapEvery", "--swap-every"), ("Url", "--url"));
        cmd.SetAction(async (pr, cancel) =>
        {
            var targets = (pr.GetValue(urls) ?? []).Select(ParseTarget).ToList();
            if (targets.Select(t => t.Label).Distinct().Count() != targets.Count) throw new ArgumentException("two --url targets share a label; name them LABEL=URL.", "--url");
            string? dataDir = pr.GetValue(data), file = pr.GetValue(requestsFile), runDir = pr.GetValue(run);
            if (dataDir is null && file is null) throw new ArgumentException("give --data (one request per user) or --requests FILE.", "--data");
            if (runDir is not null && dataDir is null) throw new ArgumentException("--run needs --data (the run's dataset folder).", "--data");
            if (pr.GetValue(rounds) is < 1 or > 100) throw new ArgumentOutOfRangeException("--rounds", pr.GetValue(rounds), "must be in 1..100.");
            if (pr.GetValue(check) < 0) throw new ArgumentOutOfRangeException("--check", pr.GetValue(check), "must be ≥ 0.");
            if (pr.GetValue(output) is { } o) OutputGuard.RefuseOverlap("--out", o, ("--data", dataDir), ("--run", runDir), ("--requests", file));

            var measured = Durations.Parse(pr.GetValue(duration)!, "--duration");
            var warm = Durations.Parse(pr.GetValue(warmup)!, "--warmup");
            SwapTarget? swap = null;
            TimeSpan? every = pr.GetValue(swapEvery) is { } se ? Durations.Parse(se, "--swap-every") : null;
            if (every is not null)
            {
                string t = pr.GetValue(token) ?? Environment.GetEnvironmentVariable(ServeCommand.AdminTokenVariable)
                    ?? throw new ArgumentException($"--swap-every needs the target's admin token (--admin-token or ${ServeCommand.AdminTokenVariable}).", "--admin-token");
                string sr = pr.GetValue(swapRun) ?? runDir ?? throw new ArgumentException("--swap-every needs --swap-run or --run.", "--swap-run");
                string sd = pr.GetValue(swapData) ?? dataDir ?? throw new ArgumentException("--swap-every needs --swap-data or --data.", "--swap-data");
                swap = new SwapTarget(Path.GetFullPath(sr), Path.GetFullPath(sd), t);
            }

            var err = pr.InvocationConfiguration.Error;
            Dataset? dataset = dataDir is null ? null : DatasetFolder.Read(dataDir);
            var requests = file is not null ? LoadRequests.FromFile(file, ServingJson.Options) : LoadRequests.ForUsers(dataset!, pr.GetValue(k), pr.GetValue(seed), ServingJson.Options);
            using var oracle = runDir is null || pr.GetValue(check) == 0 ? null : new RecommendationService(ServingSnapshot.Load(runDir, dataset!, catalog));
            var progress = new SyncProgress<string>(s => err.WriteLine(s));

            var reports = new List<(string Label, int Round, LoadReport Report)>();
            for (int r = 0; r < pr.GetValue(rounds); r++)
                foreach (var (label, url) in targets)
                {
                    err.WriteLine($"[{label}{(pr.GetValue(rounds) > 1 ? $", round {r + 1}" : "")}] {url}");
                    var options = new LoadOptions
                    {
                        Url = url, Clients = pr.GetValue(clients), Duration = measured, Warmup = warm, MaxRequests = pr.GetValue(maxRequests),
                        SwapEvery = every, Swap = swap,
                    };
                    options.Validate();
                    var report = await LoadRunner.RunAsync(options, requests, oracle is null ? null : oracle.Recommend, pr.GetValue(check), progress, cancel);
                    reports.Add((label, r + 1, report));
                }

            var summary = Summarise(reports);
            if (pr.GetValue(output) is { } outPath)
            {
                AtomicFile.WriteAllText(outPath, JsonSerializer.Serialize(new { command = "recsys " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1)), summary, runs = reports.Select(x => new { x.Label, x.Round, x.Report }) }, CliJson.Indented));
                LoadTimelinePlot.Write(reports.Select(x => new LoadTimeline(reports.Count(y => y.Label == x.Label) > 1 ? $"{x.Label} #{x.Round}" : x.Label,
                    [.. x.Report.Timeline.Select(t => (double)t.Second)], [.. x.Report.Timeline.Select(t => (double)t.Requests)], [.. x.Report.Timeline.Select(t => t.P99)],
                    [.. x.Report.Swaps.Select(s => s.At)])).ToList(), $"{pr.GetValue(clients)} clients, closed loop", Path.ChangeExtension(outPath, ".png"));
            }
            var w = pr.InvocationConfiguration.Output;
            if (pr.GetValue(json)) w.WriteLine(CliJson.Serialize(new { summary, runs = reports.Select(x => new { x.Label, x.Round, x.Report }) }));
            else Print(w, summary, reports);
            long failed = reports.Sum(x => x.Report.Failed + x.Report.Mismatches + x.Report.Swaps.Count(s => s.Error is not null));
            if (failed > 0) err.WriteLine($"error: {reports.Sum(x => x.Report.Failed)} failed requests, {reports.Sum(x => x.Report.Mismatches)} answers differing from the library, {reports.Sum(x => x.Report.Swaps.Count(s => s.Error is not null))} failed swaps.");
            return failed > 0 ? 1 : 0;
        });
        return cmd;
    }

    /// <summary>Per target: requests/s and latency over all its rounds (medians of the rounds' values), and the ratio to the first target.</summary>
    public sealed record TargetSummary(string Label, string Url, int Rounds, double RequestsPerSecond, double P50, double P95, double P99, double Max,
        long Requests, long Failed, long Checked, long Mismatches, int Swaps, double? P99AroundSwaps, double ThroughputVsFirst, double P99VsFirst);

    private static List<TargetSummary> Summarise(List<(string Label, int Round, LoadReport Report)> reports)
    {
        var rows = new List<TargetSummary>();
        foreach (var g in reports.GroupBy(x => x.Label))
        {
            var rs = g.Select(x => x.Report).ToList();
            var around = rs.Where(r => r.Swaps.Count > 0).Select(r => r.LatencyAroundSwaps.P99).ToList();
            rows.Add(new TargetSummary(g.Key, rs[0].Url.ToString(), rs.Count, Median(rs.Select(r => r.RequestsPerSecond)), Median(rs.Select(r => r.Latency.P50)),
                Median(rs.Select(r => r.Latency.P95)), Median(rs.Select(r => r.Latency.P99)), rs.Max(r => r.Latency.Max), rs.Sum(r => r.Requests), rs.Sum(r => r.Failed),
                rs.Sum(r => r.Checked), rs.Sum(r => r.Mismatches), rs.Sum(r => r.Swaps.Count), around.Count > 0 ? around.Max() : null, 0, 0));
        }
        var first = rows[0];
        return [.. rows.Select(r => r with
        {
            ThroughputVsFirst = first.RequestsPerSecond > 0 ? r.RequestsPerSecond / first.RequestsPerSecond : 0,
            P99VsFirst = first.P99 > 0 ? r.P99 / first.P99 : 0,
        })];
    }

    private static double Median(IEnumerable<double> values)
    {
        var v = values.Order().ToArray();
        return v.Length == 0 ? 0 : v.Length % 2 == 1 ? v[v.Length / 2] : (v[v.Length / 2 - 1] + v[v.Length / 2]) / 2;
    }

    private static void Print(TextWriter w, List<TargetSummary> summary, List<(string Label, int Round, LoadReport Report)> reports)
    {
        var console = EvalCommand.ConsoleFor(w);
        var table = new Table().Title($"bench serve — {reports[0].Report.Clients} closed-loop clients, {reports[0].Report.Seconds:0.#} s per round");
        foreach (var c in new[] { "target", "rounds", "req/s", "P50 ms", "P95 ms", "P99 ms", "max ms", "failed", "checked (diff)", "swaps", "P99 around swaps", "× first req/s" })
            table.AddColumn(c == "target" ? new TableColumn(c) : new TableColumn(c).RightAligned());
        foreach (var s in summary)
            table.AddRow(Markup.Escape(s.Label), s.Rounds.ToString(), s.RequestsPerSecond.ToString("0"), s.P50.ToString("0.00"), s.P95.ToString("0.00"), s.P99.ToString("0.00"),
                s.Max.ToString("0.0"), s.Failed.ToString(), $"{s.Checked} ({s.Mismatches})", s.Swaps.ToString(), s.P99AroundSwaps?.ToString("0.00") ?? "-", s.ThroughputVsFirst.ToString("0.00"));
        console.Write(table);
        foreach (var (label, round, r) in reports)
        {
            if (r.FirstMismatch is { } m) console.WriteLine($"{label} #{round}: first differing answer: {m}");
            foreach (var (cause, n) in r.Failures) console.WriteLine($"{label} #{round}: {n} failed ({cause})");
        }
    }

    private static (string Label, Uri Url) ParseTarget(string text)
    {
        int eq = text.IndexOf('=');
        string label = eq > 0 ? text[..eq] : "", url = eq > 0 ? text[(eq + 1)..] : text;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw new ArgumentException($"'{text}' is not an http(s) URL (e.g. http://127.0.0.1:8080 or recsys=http://127.0.0.1:8080).", "--url");
        return (label.Length > 0 ? label : uri.Authority, uri);
    }
}
