using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using System.CommandLine;
using Recsys.Serving.Cluster;

namespace Recsys.Cli.Commands;

/// <summary>The flags every cluster verb shares: <c>--cluster</c> (membership) and <c>--cluster-id</c>.</summary>
internal sealed class ClusterArguments
{
    public ClusterArguments(bool required)
    {
        Address = new Option<string?>("--cluster")
        {
            Description = "Cluster membership: localhost (one machine; primary silo on 127.0.0.1:11111, gateways 30000…; localhost:P1,P2 names a client's gateways) or redis://HOST:PORT.",
            Required = required,
        };
    }

    public Option<string?> Address { get; }
    public Option<string> ClusterId { get; } = new("--cluster-id") { Description = "Orleans cluster id: silos and clients with the same id form one cluster.", DefaultValueFactory = _ => "recsys" };

    public IEnumerable<Option> All => [Address, ClusterId];

    /// <summary>The parsed address, or null when <c>--cluster</c> was not given.</summary>
    public ClusterAddress? Parse(ParseResult pr)
    {
        if (pr.GetValue(Address) is not { } text) return null;
        try { return ClusterAddress.Parse(text); }
        catch (FormatException e) { throw new ArgumentException(e.Message, "--cluster"); }
    }

    /// <summary>A started client of the cluster; a cluster that cannot be reached in <paramref name="timeout"/> is an error naming the address.</summary>
    public static async Task<IHost> ConnectAsync(ClusterAddress address, string clusterId, TimeSpan timeout)
    {
        try { await ClusterClient.ProbeAsync(address, TimeSpan.FromSeconds(3)); }
        catch (IOException e) { throw new IOException($"--cluster {address}: cannot reach the cluster: {e.Message}", e); }
        var host = ClusterClient.Build(address, clusterId);
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await host.StartAsync(cts.Token);
            return host;
        }
        catch (Exception e) when (e is not ArgumentException)
        {
            host.Dispose();
            throw new IOException($"--cluster {address}: cannot reach the cluster (cluster id '{clusterId}') within {timeout.TotalSeconds:0} s: {e.Message.Split('\n')[0]}", e);
        }
    }
}
