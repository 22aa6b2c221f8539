using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.TestingHost;
using Recsys.Serving.Cluster;

namespace Recsys.Tests.Cluster;

/// <summary>An in-process Orleans test cluster of shard-holding silos with fast failure detection; dispose to stop it.</summary>
public sealed class ShardCluster : IAsyncDisposable
{
    private ShardCluster(InProcessTestCluster cluster) => Cluster = cluster;

    public InProcessTestCluster Cluster { get; }
    public IClusterClient Client => Cluster.Client;

    public static async Task<ShardCluster> StartAsync(int silos = 3)
    {
        var builder = new InProcessTestClusterBuilder((short)silos);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddShardServices(new ShardHostOptions(), new CoordinatorOptions
            {
                AttemptTimeout = TimeSpan.FromSeconds(1), ReplaceDelay = TimeSpan.FromMilliseconds(200), ReplaceTimeout = TimeSpan.FromSeconds(10),
                RebalanceDelay = TimeSpan.FromMilliseconds(300), RebalanceEvery = TimeSpan.FromSeconds(2),
            });
            silo.Configure<ClusterMembershipOptions>(ClusterSilo.FastFailureDetection);
            if (Environment.GetEnvironmentVariable("RECSYS_TRACE") is { Length: > 1 } trace)
                silo.Services.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(new FileTrace(trace));
        });
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return new ShardCluster(cluster);
    }

    public async ValueTask DisposeAsync()
    {
        try { await Cluster.StopAllSilosAsync(); } catch (Exception e) when (e is OperationCanceledException or OrleansException) { }
        await Cluster.DisposeAsync();
    }
}
