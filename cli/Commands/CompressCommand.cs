using System.CommandLine;
using System.Diagnostics;
using System.Text.Json.Nodes;
using Recsys.Data;
using Recsys.Embeddings.GraphHash;
using Recsys.IO;

namespace Recsys.Cli.Commands;

/// <summary><c>recsys compress graphhash</c>: writes GraphHash's id → embedding-row mapping.</summary>
public static class CompressCommand
{
    public static Command Create()
    {
        var cmd = new Command("compress", "Compress embedding tables.");
        cmd.Subcommands.Add(GraphHashVerb());
        return cmd;
    }

    private static Command GraphHashVerb()
    {
        var data = new Option<string>("--data") { Description = "Dataset folder (clusters its training user-item graph).", Required = true };
        var resolution = new Option<double>("--resolution") { Description = "Louvain resolution (GraphHash uses 200; higher = more rows).", DefaultValueFactory = _ => 200.0 };
        var seed = new Option<int>("--seed") { Description = "Seed of the node order.", DefaultValueFactory = _ => 0 };
        var standard = new Option<bool>("--standard-modularity") { Description = "Cluster by standard instead of bipartite modularity." };
        var output = new Option<string>("--out") { Description = "Row of every id as int32 .npy: users first, then items (user rows and item rows numbered separately).", Required = true };
        var force = new Option<bool>("--force") { Description = "Replace an existing --out file." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object." };
        var cmd = new Command("graphhash", "GraphHash (WWW 2025): an id's embedding row is its Louvain cluster's row.");
        foreach (var o in new Option[] { data, resolution, seed, standard, output, force, json }) cmd.Options.Add(o);
        cmd.SetAction(pr =>
        {
            var path = pr.GetValue(output)!;
            OutputGuard.CheckFile("--out", path, pr.GetValue(force), ("--data", pr.GetValue(data)));
            var d = DatasetFolder.Read(pr.GetValue(data)!);
            var r = InteractionMatrix.From(d.Train, d.NumUsers, d.NumItems);
            var options = new LouvainOptions { Resolution = pr.GetValue(resolution), Seed = pr.GetValue(seed) };
            var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
            var sw = Stopwatch.StartNew();
            var m = GraphHashMapping.Build(r, options, bipartite: !pr.GetValue(standard));
            sw.Stop();
            double cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds;
            NpyFile.WriteInt32Vector(path, m.Concatenated());
            var w = pr.InvocationConfiguration.Output;
            if (pr.GetValue(json))
                w.WriteLine(new JsonObject
                {
                    ["users"] = d.NumUsers, ["items"] = d.NumItems, ["userRows"] = m.UserRowCount, ["itemRows"] = m.ItemRowCount,
                    ["compressionRatio"] = m.CompressionRatio, ["modularity"] = m.Modularity, ["seconds"] = sw.Elapsed.TotalSeconds, ["cpuSeconds"] = cpu, ["out"] = path,
                }.ToJsonString());
            else
                w.WriteLine($"GraphHash (resolution {options.Resolution}): users {d.NumUsers:N0} → {m.UserRowCount:N0} rows, items {d.NumItems:N0} → {m.ItemRowCount:N0} rows; " +
                            $"compression {m.CompressionRatio:F2}× ({100 * (1 - 1 / m.CompressionRatio):F1}% fewer rows), modularity {m.Modularity:F4}, {sw.Elapsed.TotalSeconds:F3} s (cpu {cpu:F3} s) → {path}");
            return 0;
        });
        return cmd;
    }
}
