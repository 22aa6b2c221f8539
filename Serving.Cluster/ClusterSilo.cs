using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Orleans.Configuration;
using StackExchange.Redis;

namespace Recsys.Serving.Cluster;

/// <summary>
/// Builds silos that hold item shards: membership (localhost or Redis), endpoints, the replica placement director and
/// the shard services. <see cref="AddShardServices"/> is what any silo needs (the test cluster uses it too).
/// </summary>
public static class ClusterSilo
{
    /// <summary>Registers the shard grains' services, the <see cref="ReplicaPlacement"/> director and the <see cref="ReplicaRebalancer"/> on a silo.</summary>
    public static ISiloBuilder AddShardServices(this ISiloBuilder silo, ShardHostOptions? shards = null, CoordinatorOptions? coordinator = null)
    {
        var c = (coordinator ?? new CoordinatorOptions()).Validate();
        silo.Services.AddSingleton((shards ?? new ShardHostOptions()).Validate());
        silo.Services.AddSingleton(c);
        silo.Services.AddSingleton(new ReplicaHealth(c.SuspectFor));
        silo.AddPlacementDirector<ReplicaPlacement, ReplicaPlacementDirector>();
        silo.Services.AddSingleton<ReplicaRebalancer>();
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<ReplicaRebalancer>());
        return silo;
    }

    /// <summary>
    /// Shorter probes than Orleans' defaults, so a killed silo is declared dead in seconds rather than tens of seconds:
    /// right on one machine or a quiet LAN; a deployment with long GC pauses or a busy network keeps the defaults.
    /// </summary>
    public static void FastFailureDetection(ClusterMembershipOptions o)
    {
        o.ProbeTimeout = TimeSpan.FromSeconds(1);
        o.NumMissedProbesLimit = 2;
        o.TableRefreshTimeout = TimeSpan.FromSeconds(2);
        o.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(5);
    }

    /// <summary>A host running one silo with <paramref name="options"/>; start it with <c>StartAsync</c>.</summary>
    /// <param name="options">Membership, ports and shard settings.</param>
    /// <param name="index">The silo's index in this process (localhost clustering: picks its ports; 0 is the primary).</param>
    /// <param name="logging">Extra logging setup (the CLI keeps Orleans to warnings).</param>
    public static IHost Build(ClusterSiloOptions options, int index = 0, Action<ILoggingBuilder>? logging = null)
    {
        options.Validate();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        // Logs go to stderr: stdout belongs to the command's own output.
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning);
        builder.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        logging?.Invoke(builder.Logging);
        builder.UseOrleans(silo =>
        {
            int siloPort, gatewayPort;
            if (options.Cluster.IsLocalhost)
            {
                siloPort = options.SiloPort != 0 ? options.SiloPort : ClusterAddress.LocalPrimaryPort + index;
                gatewayPort = options.GatewayPort != 0 ? options.GatewayPort : ClusterAddress.LocalGatewayBase + index;
                silo.UseLocalhostClustering(siloPort, gatewayPort, new IPEndPoint(IPAddress.Loopback, ClusterAddress.LocalPrimaryPort), options.ServiceId, options.ClusterId);
            }
            else
            {
                siloPort = options.SiloPort != 0 ? options.SiloPort : FreePort();
                gatewayPort = options.GatewayPort != 0 ? options.GatewayPort : FreePort();
                silo.UseRedisClustering(o => o.ConfigurationOptions = ConfigurationOptions.Parse(options.Cluster.Redis!));
                silo.Configure<ClusterOptions>(o => { o.ClusterId = options.ClusterId; o.ServiceId = options.ServiceId; });
                silo.ConfigureEndpoints(options.Advertise, siloPort, gatewayPort);
            }
            if (options.Name is { } name) silo.Configure<SiloOptions>(o => o.SiloName = name);
            if (options.Detection == FailureDetection.Fast) silo.Configure<ClusterMembershipOptions>(FastFailureDetection);
            silo.AddShardServices(options.Shards, options.Coordinator);
        });
        return builder.Build();
    }

    /// <summary>A TCP port free on loopback right now.</summary>
    public static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}
