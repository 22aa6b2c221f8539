using System.CommandLine;
using System.Text.Json;
using Recsys.Catalog;
using Recsys.Devices;
using Recsys.Eval.Bench;
using Spectre.Console;

namespace Recsys.Cli.Commands;

/// <summary><c>recsys bench</c>: performance measurements. <c>bench mips</c> times the exact MIPS backends side by side.</summary>
public static class BenchCommand
{
    public static Command Create(RecsysCatalog catalog)
    {
        var cmd = new Command("bench", "Performance benchmarks.");
        cmd.Subcommands.Add(Mips());
        cmd.Subcommands.Add(BenchTrainCommand.Create(catalog));
        cmd.Subcommands.Add(BenchServeCommand.Create(catalog));
        cmd.Subcommands.Add(BenchHnswCommand.Create());
        cmd.Subcommands.Add(BenchRecommendCommand.Create(catalog));
        cmd.Subcommands.Add(BenchClusterCommand.Create());
        return cmd;
    }

    private static Command Mips()
    {
        var d = new MipsBenchOptions();
        var queries = new Option<int>("--queries") { Description = "number of queries N", DefaultValueFactory = _ => d.Queries };
        var items = new Option<int>("--items") { Description = "number of items M", DefaultValueFactory = _ => d.Items };
        var dim = new Option<int>("--dim") { Description = "dimension D", DefaultValueFactory = _ => d.Dim };
        var k = new Option<int>("--k") { Description = "top-k", DefaultValueFactory = _ => d.K };
        var data = new Option<string?>("--data") { Description = "dataset folder: use its user/item counts and exclude its training items" };
        var seed = new Option<int>("--seed") { DefaultValueFactory = _ => d.Seed };
        var threads = new Option<int>("--threads") { Description = "threads for every backend (0 = all cores)", DefaultValueFactory = _ => 0 };
        var repeats = new Option<int>("--repeats") { Description = "timed runs per backend (median reported)", DefaultValueFactory = _ => d.Repeats };
        var device = new Option<string>("--device") { Description = "torch device: auto | cpu | cuda", DefaultValueFactory = _ => "auto" };
        var latency = new Option<int>("--latency-items") { Description = "also time one query over this many items (e.g. 1000000) against the memory-bandwidth bound", DefaultValueFactory = _ => 0 };
        var all = new Option<bool>("--all-kernels") { Description = "also time the Vector256 (and, when small, scalar) CPU kernels" };
        var cpuOnly = new Option<bool>("--cpu-only") { Description = "skip the torch backend and the mm + topk baseline" };
        var overFetch = new Option<double>("--overfetch") { Description = "int8 first pass keeps k × this many candidates for the exact re-rank (0 = skip the int8 backend)", DefaultValueFactory = _ => d.OverFetch };
        var embeddings = new Option<string?>("--embeddings") { Description = "run folder whose user/item embeddings replace the Gaussian vectors (realistic int8 recall)" };
        var json = new Option<bool>("--json") { Description = "print one JSON object" };
        var cmd = new Command("mips", "MIPS: SIMD CPU kernel vs int8 first pass + exact re-rank vs TorchSharp index vs plain TorchSharp mm + topk on the same data.");
        foreach (var o in new Option[] { queries, items, dim, k, data, seed, threads, repeats, device, latency, all, cpuOnly, overFetch, embeddings, json }) cmd.Options.Add(o);
        cmd.SetAction(pr =>
        {
            var opts = new MipsBenchOptions
            {
                Queries = pr.GetValue(queries), Items = pr.GetValue(items), Dim = pr.GetValue(dim), K = pr.GetValue(k),
                DataFolder = pr.GetValue(data), Seed = pr.GetValue(seed), Threads = pr.GetValue(threads), Repeats = pr.GetValue(repeats),
                Device = DeviceChoice.Parse(pr.GetValue(device)!, "--device"), LatencyItems = pr.GetValue(latency), AllKernels = pr.GetValue(all), CpuOnly = pr.GetValue(cpuOnly),
                OverFetch = pr.GetValue(overFetch), EmbeddingsRun = pr.GetValue(embeddings),
            };
            bool asJson = pr.GetValue(json);
            var err = pr.InvocationConfiguration.Error;
            var report = MipsBenchmark.Run(opts, new Progress<string>(s => { if (!asJson) err.WriteLine($"running {s}…"); }));
            var w = pr.InvocationConfiguration.Output;
            if (asJson) { w.WriteLine(CliJson.Serialize(report)); return report.Agree ? 0 : 1; }
            Print(report, w);
            return report.Agree ? 0 : 1;
        });
        return cmd;
    }

    private static void Print(MipsBenchReport r, TextWriter w)
    {
        var console = CliConsole.For(w);
        console.Profile.Width = Math.Max(console.Profile.Width, 140);
        console.WriteLine($"{r.Queries:N0} queries × {r.Items:N0} items × {r.Dim} dims ({r.VectorSource}), k = {r.K}, {r.ExcludedPairs:N0} excluded pairs, {r.Threads} threads; item packing {r.PackSeconds:F3} s");
        var t = new Table().AddColumns("backend", "device", "median s", "runs", "GFLOP/s", "× mm+topk", "× cpu", "CPU s", $"recall@{r.K} vs cpu", "max |Δscore|");
        foreach (var row in r.Rows)
            t.AddRow(row.Backend, row.Device, $"{row.Seconds:F3}", string.Join(" ", row.Runs.Select(x => x.ToString("F3"))), $"{row.Gflops:F1}",
                row.SpeedupVsMmTopk is { } x ? $"{x:F2}" : "-", $"{row.SpeedupVsCpu:F2}", $"{row.CpuSeconds:F2}", $"{row.IdOverlap:F5}", $"{row.MaxScoreDiff:G3}");
        console.Write(t);
        console.WriteLine(r.Agree ? "exact answers agree." : "ANSWERS DISAGREE.");
        if (r.Rows.Any(x => x.Approximate))
            console.WriteLine("int8 rows: first pass over-fetches k × over-fetch candidates, re-ranked exactly in FP32 (reported, not part of the agreement check).");
        if (r.Latency is { } l)
            console.WriteLine($"single query over {l.Items:N0} × {l.Dim}: {l.MedianMs:F2} ms median; streaming {l.PackedMegabytes:F0} MB at the measured {l.BandwidthGBps:F1} GB/s takes {l.BandwidthBoundMs:F2} ms (bound).");
    }
}
