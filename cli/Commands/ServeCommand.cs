using System.CommandLine;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Recsys.Catalog;
using Recsys.Eval.Quickstart;
using Recsys.Serving;
using Recsys.Serving.Http;

namespace Recsys.Cli.Commands;

/// <summary>
/// <c>recsys serve [--run RUN --data DIR] [--port 8080] [--host 127.0.0.1] [--backend cpu|int8|torch] [--device D]
/// [--threads 1] [--admin-token T] [--reload-root DIR ...] [--max-k N] [--beam B] [--cold-slots ε]</c>: serves a trained run over HTTP (see README
/// "Serving") until Ctrl+C or SIGTERM, which drain requests in flight. Without <c>--run</c> it serves the quickstart's
/// LightGCN model, training it first when absent.
/// </summary>
public static class ServeCommand
{
    /// <summary>Where the admin token may come from instead of the command line (which other users can read in the process list).</summary>
    public const string AdminTokenVariable = "RECSYS_ADMIN_TOKEN";

    public static Command Create(RecsysCatalog catalog)
    {
        var run = new Option<string?>("--run") { Description = "Run folder (recsys train); omit it to serve the quickstart model (trained into --quickstart-folder when absent)." };
        var data = new Option<string?>("--data") { Description = "The run's dataset folder (required with --run)." };
        var quickstart = new Option<string>("--quickstart-folder") { Description = "Where the quickstart model lives when --run is omitted.", DefaultValueFactory = _ => Path.Combine("data", "quickstart") };
        var port = new Option<int>("--port") { Description = "TCP port (0 = any free port).", DefaultValueFactory = _ => 8080 };
        var host = new Option<string>("--host") { Description = "Address to listen on (0.0.0.0 for every interface).", DefaultValueFactory = _ => "127.0.0.1" };
        var token = new Option<string?>("--admin-token") { Description = $"Enables POST /admin/reload behind this bearer token (default: ${AdminTokenVariable}; unset = admin off)." };
        var roots = new Option<string[]>("--reload-root") { Description = "Folder that /admin/reload may load runs and data from (repeatable).", AllowMultipleArgumentsPerToken = false };
        var maxK = new Option<int>("--max-k") { Description = "Largest k a request may ask for.", DefaultValueFactory = _ => new ServingOptions().MaxK };
        var batch = new Option<bool>("--batch-requests") { Description = "Coalesce concurrent known-user requests into one multi-query search (same answers; --batch-requests false turns it off).", DefaultValueFactory = _ => true };
        var jsonLogs = new Option<bool>("--json-logs") { Description = "Write logs as JSON lines (structured) instead of text." };
        var beam = new Option<int?>("--beam") { Description = "A generative run (tiger): decode with this beam width instead of the run's (also for runs loaded by /admin/reload)." };
        var coldSlots = new Option<double?>("--cold-slots") { Description = "A generative run (tiger): give at most this share of each list to untrained items sharing a generated item's codes (TIGER's ε)." };
        var index = new MipsIndexOptions(defaultThreads: 1);
        var cluster = new ServeClusterOptions();
        var cmd = new Command("serve", "Serve a trained run over HTTP: POST /v1/recommend, /v1/similar, GET /v1/models, /healthz, /readyz, /metrics, /openapi/v1.json.");
        foreach (var o in new Option[] { run, data, quickstart, port, host, token, roots, maxK, batch, jsonLogs, beam, coldSlots }.Concat(index.All).Concat(cluster.All)) cmd.Options.Add(o);
        cmd.MapParameters(("MaxK", "--max-k"), ("AdminToken", "--admin-token"), ("ReloadRoots", "--reload-root"), ("Threads", "--threads"), ("Device", "--device"), ("OverFetch", "--overfetch"), ("beam", "--beam"), ("coldSlots", "--cold-slots"));
        cmd.SetAction(pr =>
        {
            if (pr.GetValue(port) is < 0 or > 65535) throw new ArgumentOutOfRangeException("--port", pr.GetValue(port), "must be in 0..65535.");
            string? runDir = pr.GetValue(run), dataDir = pr.GetValue(data);
            if (runDir is not null && dataDir is null) throw new ArgumentException("--data is required with --run (the run's dataset folder).", "--data");
            if (runDir is null && dataDir is not null) throw new ArgumentException("--data needs --run (without --run the quickstart model and its data are served).", "--data");
            var options = new ServingOptions
            {
                MaxK = pr.GetValue(maxK),
                AdminToken = pr.GetValue(token) ?? Environment.GetEnvironmentVariable(AdminTokenVariable),
                ReloadRoots = pr.GetValue(roots) ?? [],
                BatchRequests = pr.GetValue(batch),
            }.Validate();
            var choice = index.Parse(pr);
            choice.Validate();
            var w = pr.InvocationConfiguration.Output;
            if (runDir is null)
            {
                var err = pr.InvocationConfiguration.Error;
                string folder = pr.GetValue(quickstart)!;
                var (qRun, qData, trained) = QuickstartModel.Ensure(folder, catalog, new SyncProgress<QuickstartProgress>(p => err.WriteLine($"quickstart [{p.Index}/{p.Total}] {p.Step}…")));
                if (trained) w.WriteLine($"trained the quickstart model into {Path.GetFullPath(folder)}");
                (runDir, dataDir) = (qRun, qData);
            }
            using var clusterHost = cluster.Connect(pr);
            int? beamWidth = pr.GetValue(beam);
            double? coldShare = pr.GetValue(coldSlots);
            if (clusterHost is not null && (beamWidth is not null || coldShare is not null))
                throw new ArgumentException("the cluster serves embedding runs (their items sharded over silos); a generative run's --beam / --cold-slots need a single-machine server.", beamWidth is not null ? "--beam" : "--cold-slots");
            Func<string, string, ServingSnapshot> load = clusterHost is null ? (r, d) => ServingSnapshot.Load(r, d, catalog, choice, beamWidth, coldShare) : cluster.Loader(clusterHost, pr, catalog);
            var snapshot = load(runDir, dataDir!);
            using var service = new RecommendationService(snapshot, options);
            string url = $"http://{pr.GetValue(host)}:{pr.GetValue(port)}";
            using var app = ServingHost.Build(service, load, b =>
            {
                b.WebHost.UseUrls(url);
                // Start/stop and errors, not a line per request.
                b.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
                if (pr.GetValue(jsonLogs)) b.Logging.ClearProviders().AddJsonConsole();
            });
            app.Start();
            string bound = app.Urls.FirstOrDefault() ?? url;
            var model = service.Model;
            w.WriteLine($"serving {model.Kind} model {model.Version} ({model.Items} items, index {(clusterHost is null ? choice.Backend.ToString().ToLowerInvariant() : cluster.Describe(pr))}{(options.BatchRequests ? ", batched requests" : "")}) on {bound}");
            w.WriteLine($"try:  curl -s {bound}/v1/recommend -H 'Content-Type: application/json' -d '{{\"user\": \"{snapshot.Users.Name(0)}\", \"k\": 10}}'");
            w.WriteLine(options.AdminToken is null ? "admin: off (set --admin-token to enable POST /admin/reload)"
                : options.ReloadRoots.Count == 0 ? "admin: on, but no --reload-root is set, so every reload path is refused" : $"admin: on, reload roots {string.Join(", ", options.ReloadRoots)}");
            w.WriteLine("Ctrl+C to stop.");
            app.WaitForShutdown();
            return 0;
        });
        return cmd;
    }
}
