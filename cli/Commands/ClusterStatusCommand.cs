using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using System.CommandLine;
using System.Text.Json;
using Recsys.Serving.Cluster;

namespace Recsys.Cli.Commands;

/// <summary><c>recsys cluster status --cluster ADDR [--json]</c>: the cluster's silos and, per loaded version, each shard's replicas and silos.</summary>
public static class ClusterStatusCommand
{
    public static Command Create()
    {
        var cluster = new ClusterArguments(required: true);
        var json = new Option<bool>("--json") { Description = "Print one JSON object." };
        var cmd = new Command("status", "Silos, versions, shards and replicas of a shard cluster (recsys silo).");
        foreach (var o in cluster.All.Append(json)) cmd.Options.Add(o);
        cmd.SetAction(async (pr, cancel) =>
        {
            var address = cluster.Parse(pr)!;
            using var host = await ClusterArguments.ConnectAsync(address, pr.GetValue(cluster.ClusterId)!, TimeSpan.FromSeconds(20));
            var status = await ClusterStatus.ReadAsync(host.Services.GetRequiredService<IClusterClient>());
            await host.StopAsync(CancellationToken.None);
            var w = pr.InvocationConfiguration.Output;
            if (pr.GetValue(json)) { w.WriteLine(JsonSerializer.Serialize(status, CliJson.Options)); return 0; }
            w.WriteLine($"cluster {address}: {status.Silos.Count(s => s.Status == "Active")} active silo(s)");
            foreach (var s in status.Silos) w.WriteLine($"  silo {s.Address,-32} {s.Name,-20} {s.Status}");
            if (status.Versions.Count == 0) w.WriteLine("no version loaded (recsys serve --cluster loads one).");
            foreach (var v in status.Versions)
            {
                w.WriteLine($"version {v.Version}: {v.Shards.Count} shard(s)");
                foreach (var sh in v.Shards)
                    w.WriteLine($"  shard {sh.Shard}: {string.Join(", ", sh.Replicas.Select(r => $"replica {r.Replica} on {r.Silo}"))}");
            }
            return 0;
        });
        return cmd;
    }
}
