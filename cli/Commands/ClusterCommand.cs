using System.CommandLine;
using System.Diagnostics;
using System.Text.Json.Nodes;
using Recsys.Data;
using Recsys.Embeddings;
using Recsys.Embeddings.GraphHash;
using Recsys.Graphs;
using Recsys.IO;

namespace Recsys.Cli.Commands;

/// <summary><c>recsys cluster louvain</c>: modularity clusters of a dataset's user-item training graph; <c>recsys cluster status</c>: a shard cluster's silos and replicas.</summary>
public static class ClusterCommand
{
    public static Command Create()
    {
        var cmd = new Command("cluster", "Cluster graphs (louvain); inspect a shard cluster (status).");
        cmd.Subcommands.Add(LouvainVerb());
        cmd.Subcommands.Add(ClusterStatusCommand.Create());
        return cmd;
    }

    private static Command LouvainVerb()
    {
        var data = new Option<string>("--data") { Description = "Dataset folder (clusters its training user-item graph).", Required = true };
        var resolution = new Option<double>("--resolution") { Description = "Resolution γ (higher = more clusters).", DefaultValueFactory = _ => 1.0 };
        var bipartite = new Option<bool>("--bipartite") { Description = "Barber bipartite modularity; users and items get separately numbered labels." };
        var seed = new Option<int>("--seed") { Description = "Seed of the node order.", DefaultValueFactory = _ => 0 };
        var output = new Option<string?>("--out") { Description = "Labels as int32 .npy, one per node: users first, then items." };
        var force = new Option<bool>("--force") { Description = "Replace an existing --out file." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object." };
        var cmd = new Command("louvain", "Louvain modularity clustering (Blondel et al. 2008).");
        foreach (var o in new Option[] { data, resolution, bipartite, seed, output, force, json }) cmd.Options.Add(o);
        cmd.SetAction(pr =>
        {
            if (pr.GetValue(output) is { } target) OutputGuard.CheckFile("--out", target, pr.GetValue(force), ("--data", pr.GetValue(data)));
            var d = DatasetFolder.Read(pr.GetValue(data)!);
            var r = InteractionMatrix.From(d.Train, d.NumUsers, d.NumItems);
            var adjacency = UserItemAdjacency.Binary(r);
            var options = new LouvainOptions { Resolution = pr.GetValue(resolution), Seed = pr.GetValue(seed) };
            bool bi = pr.GetValue(bipartite);
            var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
            var sw = Stopwatch.StartNew();
            var result = bi ? Louvain.ClusterBipartite(adjacency, d.NumUsers, options) : Louvain.Cluster(adjacency, options);
            sw.Stop();
            double cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds;
            var (users, items, uc, ic) = GraphHashMapping.SplitSides(result.Labels, d.NumUsers);
            int[] labels = bi ? [.. users, .. items] : result.Labels;
            if (pr.GetValue(output) is { } path) NpyFile.WriteInt32Vector(path, labels);
            var w = pr.InvocationConfiguration.Output;
            if (pr.GetValue(json))
                w.WriteLine(new JsonObject
                {
                    ["modularity"] = result.Modularity, ["bipartite"] = bi, ["resolution"] = options.Resolution,
                    ["clusters"] = result.Clusters, ["userClusters"] = uc, ["itemClusters"] = ic,
                    ["levels"] = result.Levels, ["seconds"] = sw.Elapsed.TotalSeconds, ["cpuSeconds"] = cpu,
                }.ToJsonString());
            else
                w.WriteLine($"Louvain ({(bi ? "bipartite" : "standard")} modularity, resolution {options.Resolution}): modularity {result.Modularity:F4}, " +
                            $"{result.Clusters:N0} clusters ({uc:N0} with users, {ic:N0} with items), {result.Levels} levels, {sw.Elapsed.TotalSeconds:F3} s (cpu {cpu:F3} s)");
            return 0;
        });
        return cmd;
    }
}
