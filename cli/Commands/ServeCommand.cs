using System.CommandLine;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Recsys.Catalog;
using Recsys.Serving;
using Recsys.Serving.Http;

namespace Recsys.Cli.Commands;

/// <summary>
/// <c>recsys serve --run RUN --data DIR [--port 8080] [--host 127.0.0.1] [--admin-token T] [--reload-root DIR ...] [--max-k N]</c>:
/// serves a trained run over HTTP (see README "Serving") until Ctrl+C or SIGTERM, which drain requests in flight.
/// </summary>
public static class ServeCommand
{
    /// <summary>Where the admin token may come from instead of the command line (which other users can read in the process list).</summary>
    public const string AdminTokenVariable = "RECSYS_ADMIN_TOKEN";

    public static Command Create(RecsysCatalog catalog)
    {
        var run = new Option<string>("--run") { Description = "Run folder (recsys train).", Required = true };
        var data = new Option<string>("--data") { Description = "The run's dataset folder.", Required = true };
        var port = new Option<int>("--port") { Description = "TCP port (0 = any free port).", DefaultValueFactory = _ => 8080 };
        var host = new Option<string>("--host") { Description = "Address to listen on (0.0.0.0 for every interface).", DefaultValueFactory = _ => "127.0.0.1" };
        var token = new Option<string?>("--admin-token") { Description = $"Enables POST /admin/reload behind this bearer token (default: ${AdminTokenVariable}; unset = admin off)." };
        var roots = new Option<string[]>("--reload-root") { Description = "Folder that /admin/reload may load runs and data from (repeatable).", AllowMultipleArgumentsPerToken = false };
        var maxK = new Option<int>("--max-k") { Description = "Largest k a request may ask for.", DefaultValueFactory = _ => new ServingOptions().MaxK };
        var cmd = new Command("serve", "Serve a trained run over HTTP: POST /v1/recommend, /v1/similar, GET /v1/models, /healthz, /readyz, /metrics, /openapi/v1.json.");
        foreach (var o in new Option[] { run, data, port, host, token, roots, maxK }) cmd.Options.Add(o);
        cmd.MapParameters(("MaxK", "--max-k"), ("AdminToken", "--admin-token"), ("ReloadRoots", "--reload-root"));
        cmd.SetAction(pr =>
        {
            if (pr.GetValue(port) is < 0 or > 65535) throw new ArgumentOutOfRangeException("--port", pr.GetValue(port), "must be in 0..65535.");
            var options = new ServingOptions
            {
                MaxK = pr.GetValue(maxK),
                AdminToken = pr.GetValue(token) ?? Environment.GetEnvironmentVariable(AdminTokenVariable),
                ReloadRoots = pr.GetValue(roots) ?? [],
            }.Validate();
            var w = pr.InvocationConfiguration.Output;
            var snapshot = ServingSnapshot.Load(pr.GetValue(run)!, pr.GetValue(data)!, catalog);
            using var service = new RecommendationService(snapshot, options);
            string url = $"http://{pr.GetValue(host)}:{pr.GetValue(port)}";
            using var app = ServingHost.Build(service, (r, d) => ServingSnapshot.Load(r, d, catalog), b =>
            {
                b.WebHost.UseUrls(url);
                // Start/stop and errors, not a line per request.
                b.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
            });
            app.Start();
            string bound = app.Urls.FirstOrDefault() ?? url;
            var model = service.Model;
            w.WriteLine($"serving {model.Kind} model {model.Version} ({model.Items} items) on {bound}");
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
