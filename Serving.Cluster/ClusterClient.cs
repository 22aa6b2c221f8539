using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Orleans.Configuration;
using StackExchange.Redis;

namespace Recsys.Serving.Cluster;

/// <summary>Builds an Orleans client of a shard cluster (the HTTP front end, <c>cluster status</c>, tests).</summary>
public static class ClusterClient
{
    /// <summary>
    /// A host holding a client of the cluster at <paramref name="address"/>; after <c>StartAsync</c> (which waits
    /// until a gateway answers) get the client with <c>host.Services.GetRequiredService&lt;IClusterClient&gt;()</c>.
    /// </summary>
    public static IHost Build(ClusterAddress address, string clusterId = "recsys", string serviceId = "recsys", Action<ILoggingBuilder>? logging = null)
    {
        ArgumentNullException.ThrowIfNull(address);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        // Logs go to stderr: stdout belongs to the command's own output.
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning);
        builder.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        logging?.Invoke(builder.Logging);
        builder.UseOrleansClient(client =>
        {
            if (address.IsLocalhost) client.UseLocalhostClustering([.. address.LocalGateways], serviceId, clusterId);
            else
            {
                client.UseRedisClustering(o => o.ConfigurationOptions = ConfigurationOptions.Parse(address.Redis!));
                client.Configure<ClusterOptions>(o => { o.ClusterId = clusterId; o.ServiceId = serviceId; });
            }
            // A lost gateway leaves the list within seconds, so retried calls go to a live one.
            client.Configure<GatewayOptions>(o => o.GatewayListRefreshPeriod = TimeSpan.FromSeconds(5));
            // Bounds the last attempt of a search (the earlier ones have their own deadline, ClusterMipsIndex.AttemptTimeout).
            client.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromSeconds(15));
        });
        return builder.Build();
    }

    /// <summary>
    /// Checks that something accepts TCP connections where <paramref name="address"/> says the cluster is (a gateway port
    /// under localhost clustering, the Redis endpoint otherwise), so a wrong address fails in a moment instead of after
    /// the client's whole connection timeout. Throws <see cref="IOException"/> naming the endpoints tried.
    /// </summary>
    public static async Task ProbeAsync(ClusterAddress address, TimeSpan timeout, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(address);
        var endpoints = address.IsLocalhost ? address.LocalGateways.Select(p => ("127.0.0.1", p)).ToArray() : [Split(address.Redis!)];
        foreach (var (host, port) in endpoints)
        {
            using var tcp = new TcpClient();
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            cts.CancelAfter(timeout);
            try
            {
                await tcp.ConnectAsync(host, port, cts.Token);
                return;
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException && !cancellation.IsCancellationRequested) { }
        }
        string what = address.IsLocalhost ? "no silo gateway" : "no Redis";
        throw new IOException($"{what} accepts connections at {string.Join(", ", endpoints.Select(e => $"{e.Item1}:{e.Item2}"))} (are the silos up and is the address right?).");
    }

    private static (string Host, int Port) Split(string hostPort)
    {
        int colon = hostPort.LastIndexOf(':');
        return (hostPort[..colon], int.Parse(hostPort[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture));
    }
}
