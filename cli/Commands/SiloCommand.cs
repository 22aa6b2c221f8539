using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using System.CommandLine;
using System.Net;
using System.Runtime.InteropServices;
using Orleans.Runtime;
using Recsys.Serving.Cluster;

namespace Recsys.Cli.Commands;

/// <summary>
/// <c>recsys silo --cluster localhost|redis://HOST:PORT [--silos N] [--silo-port P] [--gateway-port G] [--advertise IP]
/// [--threads 1]</c>: runs Orleans silos that hold item shards until Ctrl+C or SIGTERM. The shards themselves are laid
/// out by the front end (<c>recsys serve --cluster</c>) when it loads a model, so start the silos first.
/// </summary>
public static class SiloCommand
{
    public static Command Create()
    {
        var cluster = new ClusterArguments(required: true);
        var silos = new Option<int>("--silos") { Description = "Silos to run in this process (several silos in one process: the embedded localhost cluster).", DefaultValueFactory = _ => 1 };
        var siloPort = new Option<int>("--silo-port") { Description = "Silo-to-silo port of the first silo (0 = localhost: 11111 + index, redis: a free port); further silos use the next ports." };
        var gatewayPort = new Option<int>("--gateway-port") { Description = "Client port of the first silo (0 = localhost: 30000 + index, redis: a free port); further silos use the next ports." };
        var advertise = new Option<string>("--advertise") { Description = "IP address other silos and clients reach this silo at.", DefaultValueFactory = _ => "127.0.0.1" };
        var name = new Option<string?>("--name") { Description = "Silo name shown by recsys cluster status (default: Orleans' own)." };
        var threads = new Option<int>("--threads") { Description = "Threads one shard search may use (0 = all cores).", DefaultValueFactory = _ => 1 };
        var slowDetection = new Option<bool>("--default-failure-detection") { Description = "Keep Orleans' default (slower, more pause-tolerant) failure detection instead of the fast one-machine timing." };
        var cmd = new Command("silo", "Run Orleans silos that hold item shards for recsys serve --cluster (until Ctrl+C or SIGTERM).");
        foreach (var o in cluster.All.Concat([silos, siloPort, gatewayPort, advertise, name, threads, slowDetection])) cmd.Options.Add(o);
        cmd.MapParameters(("SiloPort", "--silo-port"), ("GatewayPort", "--gateway-port"), ("SearchThreads", "--threads"), ("ClusterId", "--cluster-id"));
        cmd.SetAction(async (pr, cancel) =>
        {
            var address = cluster.Parse(pr)!;
            int count = pr.GetValue(silos);
            if (count is < 1 or > 16) throw new ArgumentOutOfRangeException("--silos", count, "must be in 1..16.");
            if (!IPAddress.TryParse(pr.GetValue(advertise), out var ip)) throw new ArgumentException($"'{pr.GetValue(advertise)}' is not an IP address.", "--advertise");
            int sp = pr.GetValue(siloPort), gp = pr.GetValue(gatewayPort);
            var w = pr.InvocationConfiguration.Output;
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });
            using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.Cancel(); });
            var hosts = new List<IHost>();
            try
            {
                for (int i = 0; i < count; i++)
                {
                    var options = new ClusterSiloOptions
                    {
                        Cluster = address, SiloPort = sp == 0 ? 0 : sp + i, GatewayPort = gp == 0 ? 0 : gp + i, Advertise = ip,
                        ClusterId = pr.GetValue(cluster.ClusterId)!, Name = pr.GetValue(name) is { } n ? (count == 1 ? n : $"{n}-{i}") : null,
                        Shards = new ShardHostOptions { SearchThreads = pr.GetValue(threads) },
                        Detection = pr.GetValue(slowDetection) ? FailureDetection.Default : FailureDetection.Fast,
                    };
                    var host = ClusterSilo.Build(options, i);
                    hosts.Add(host);
                    try { await host.StartAsync(stop.Token); }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        throw new IOException($"silo {i} could not join the cluster at {address}: {e.Message}", e);
                    }
                    var local = host.Services.GetRequiredService<ILocalSiloDetails>();
                    w.WriteLine($"silo {local.Name} up: {local.SiloAddress.ToParsableString()}, gateway {local.GatewayAddress?.ToParsableString() ?? "-"}, cluster {address} ({options.ClusterId})");
                }
                w.WriteLine("Ctrl+C to stop.");
                w.Flush();
                try { await Task.Delay(Timeout.Infinite, stop.Token); } catch (OperationCanceledException) { }
            }
            finally
            {
                // Leave gracefully, last started first, so the cluster re-places the shards without waiting for failure detection.
                for (int i = hosts.Count - 1; i >= 0; i--)
                {
                    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
                    try { await hosts[i].StopAsync(timeout.Token); } catch (Exception e) when (e is OperationCanceledException or OrleansException) { }
                    hosts[i].Dispose();
                }
            }
            w.WriteLine("stopped.");
            return 0;
        });
        return cmd;
    }
}
