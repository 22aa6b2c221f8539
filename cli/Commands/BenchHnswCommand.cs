using System.CommandLine;
using Recsys.Retrieval.Mips.Hnsw;
using Spectre.Console;

namespace Recsys.Cli.Commands;

/// <summary>
/// <c>recsys bench hnsw</c>: recall@k against exact MIPS and speed (batch throughput, single-query P50/P99) of one HNSW
/// graph over a range of efSearch values, next to the exact CPU index on the same queries.
/// </summary>
public static class BenchHnswCommand
{
    public static Command Create()
    {
        var d = new HnswSweepOptions();
        var data = new Option<string?>("--data") { Description = "dataset folder: use its user/item counts and exclude its training items" };
        var embeddings = new Option<string?>("--embeddings") { Description = "run folder whose user/item embeddings are the queries/items (Gaussian vectors otherwise)" };
        var queries = new Option<int>("--queries") { Description = "Gaussian queries (without --data)", DefaultValueFactory = _ => 10_000 };
        var items = new Option<int>("--items") { Description = "Gaussian items (without --data)", DefaultValueFactory = _ => 100_000 };
        var dim = new Option<int>("--dim") { Description = "Gaussian dimension", DefaultValueFactory = _ => 64 };
        var k = new Option<int>("--k") { Description = "top-k", DefaultValueFactory = _ => d.K };
        var ef = new Option<string>("--ef") { Description = "comma-separated efSearch values to sweep", DefaultValueFactory = _ => string.Join(",", d.ExpansionSearch) };
        var threads = new Option<int>("--threads") { Description = "search threads of both indexes (0 = all cores)", DefaultValueFactory = _ => d.Threads };
        var latency = new Option<int>("--latency-queries") { Description = "queries timed one at a time for P50/P99", DefaultValueFactory = _ => d.LatencyQueries };
        var json = new Option<bool>("--json") { Description = "print the report as one JSON object" };
        var graph = new HnswIndexOptions();
        var cmd = new Command("hnsw", "HNSW (USearch) recall@k vs exact MIPS, throughput and latency over efSearch values.");
        foreach (var o in new Option[] { data, embeddings, queries, items, dim, k, ef, threads, latency, json }.Concat(graph.All.Where(o => o != graph.ExpansionSearch && o != graph.IndexFile)))
            cmd.Options.Add(o);
        cmd.SetAction(pr =>
        {
            var efs = pr.GetValue(ef)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(s => int.TryParse(s, out int v) ? v : throw new ArgumentException($"--ef: '{s}' is not an integer.")).ToArray();
            var options = new HnswSweepOptions
            {
                K = pr.GetValue(k), ExpansionSearch = efs, Threads = pr.GetValue(threads), LatencyQueries = pr.GetValue(latency),
                Graph = graph.Parse(pr, pr.GetValue(threads)) with { ExpansionSearch = efs.Length > 0 ? efs[0] : 0 },
            };
            options.Validate();
            bool asJson = pr.GetValue(json);
            var err = pr.InvocationConfiguration.Error;
            var input = HnswSweepInputs.Load(pr.GetValue(data), pr.GetValue(embeddings), pr.GetValue(queries), pr.GetValue(items), pr.GetValue(dim));
            var report = HnswSweep.Run(input, options, new Progress<string>(s => { if (!asJson) err.WriteLine($"running {s}…"); }));
            var w = pr.InvocationConfiguration.Output;
            if (asJson) w.WriteLine(CliJson.Serialize(report));
            else Print(report, w);
            return 0;
        });
        return cmd;
    }

    private static void Print(HnswSweepReport r, TextWriter w)
    {
        var console = CliConsole.For(w);
        console.Profile.Width = Math.Max(console.Profile.Width, 120);
        var g = r.Graph;
        console.WriteLine($"{r.Queries:N0} queries × {r.Items:N0} items × {r.Dim} dims ({r.Vectors}), k = {r.K}, {r.ExcludedPairs:N0} excluded pairs, {r.Threads} threads");
        console.WriteLine($"{r.Library}: {(g.Metric == HnswMetric.Cosine ? "cos" : "ip")}, M {g.Connectivity}, efConstruction {g.ExpansionAdd}, {g.BuildThreads} build thread(s); built in {r.BuildSeconds:F2} s");
        var t = new Table().AddColumns("index", $"recall@{r.K}", "batch s", "batch CPU s", "QPS", "P50 ms", "P99 ms", "× exact QPS");
        t.AddRow("exact cpu", "1.00000", $"{r.ExactBatchSeconds:F3}", $"{r.ExactBatchCpuSeconds:F3}", $"{r.ExactQps:N0}", $"{r.ExactP50Ms:F3}", $"{r.ExactP99Ms:F3}", "1.00");
        foreach (var row in r.Rows)
            t.AddRow($"hnsw efSearch {row.ExpansionSearch}", $"{row.Recall:F5}", $"{row.BatchSeconds:F3}", $"{row.BatchCpuSeconds:F3}", $"{row.Qps:N0}", $"{row.P50Ms:F3}", $"{row.P99Ms:F3}", $"{row.Qps / r.ExactQps:F2}");
        console.Write(t);
    }
}
