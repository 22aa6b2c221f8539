using System.CommandLine;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Recsys.IO;
using Recsys.Serving.Cluster;

namespace Recsys.Cli.Commands;

/// <summary>
/// <c>recsys bench cluster --cluster ADDR (--items FILE | --generate N --dim D --items FILE) [--shards 3] [--replicas 1]</c>:
/// the same searches on one process and on the cluster, latency and answers compared.
/// </summary>
public static class BenchClusterCommand
{
    public static Command Create()
    {
        var cluster = new ClusterArguments(required: true);
        var items = new Option<string>("--items") { Description = "Float32 .npy or .arrow item matrix every silo can read (written first with --generate).", Required = true };
        var generate = new Option<int>("--generate") { Description = "Write a seeded catalog of this many items to --items first (0 = use the file as it is)." };
        var dim = new Option<int>("--dim") { Description = "Width of a generated catalog.", DefaultValueFactory = _ => 64 };
        var shards = new Option<int>("--shards") { Description = "Item ranges on the cluster.", DefaultValueFactory = _ => 3 };
        var replicas = new Option<int>("--replicas") { Description = "Copies of each shard.", DefaultValueFactory = _ => 1 };
        var k = new Option<int>("--k") { Description = "Results per query.", DefaultValueFactory = _ => 20 };
        var batches = new Option<string>("--batch") { Description = "Queries per call, comma-separated.", DefaultValueFactory = _ => "1,16" };
        var calls = new Option<int>("--calls") { Description = "Measured calls per batch size.", DefaultValueFactory = _ => 20 };
        var threads = new Option<int>("--threads") { Description = "Threads of the single-process index (0 = all cores).", DefaultValueFactory = _ => 3 };
        var force = new Option<bool>("--force") { Description = "Replace an existing --items file when generating." };
        var output = new Option<string?>("--out") { Description = "Write the report as JSON." };
        var cmd = new Command("cluster", "One process vs the shard cluster on the same searches: latency, throughput, identical answers.");
        foreach (var o in cluster.All.Concat([items, generate, dim, shards, replicas, k, batches, calls, threads, force, output])) cmd.Options.Add(o);
        cmd.MapParameters(("Shards", "--shards"), ("Replicas", "--replicas"), ("K", "--k"), ("Calls", "--calls"), ("SingleThreads", "--threads"), ("BatchSizes", "--batch"));
        cmd.SetAction(async (pr, cancel) =>
        {
            var address = cluster.Parse(pr)!;
            var file = pr.GetValue(items)!;
            var err = pr.InvocationConfiguration.Error;
            if (pr.GetValue(generate) is > 0 and var n)
            {
                if (File.Exists(file) && !pr.GetValue(force)) throw new ArgumentException($"{file} exists; add --force to replace it.", "--items");
                ClusterBench.WriteCatalog(file, n, pr.GetValue(dim), 1);
                err.WriteLine($"wrote {n:N0} × {pr.GetValue(dim)} to {file}");
            }
            if (pr.GetValue(output) is { } o) OutputGuard.CheckFile("--out", o, true, ("--items", file));
            var sizes = pr.GetValue(batches)!.Split(',').Select(s => int.TryParse(s, out int b) ? b : throw new ArgumentException($"'{s}' is not a batch size.", "--batch")).ToArray();
            using var host = await ClusterArguments.ConnectAsync(address, pr.GetValue(cluster.ClusterId)!, TimeSpan.FromSeconds(30));
            var report = await ClusterBench.RunAsync(host.Services.GetRequiredService<IClusterClient>(), new ClusterBenchOptions
            {
                ItemsFile = file, Shards = pr.GetValue(shards), Replicas = pr.GetValue(replicas), K = pr.GetValue(k), BatchSizes = sizes,
                Calls = pr.GetValue(calls), SingleThreads = pr.GetValue(threads),
            }, new SyncProgress<string>(err.WriteLine));
            await host.StopAsync(CancellationToken.None);
            var json = JsonSerializer.Serialize(report, CliJson.Indented);
            if (pr.GetValue(output) is { } path) AtomicFile.WriteAllText(path, json);
            pr.InvocationConfiguration.Output.WriteLine(json);
            return report.Lines.All(l => l.Identical) ? 0 : 1;
        });
        return cmd;
    }
}
