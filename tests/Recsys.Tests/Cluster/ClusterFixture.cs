namespace Recsys.Tests.Cluster;

/// <summary>One 3-silo test cluster shared by the tests that do not stop silos.</summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    private ShardCluster? _cluster;

    public ShardCluster Cluster => _cluster ?? throw new InvalidOperationException("the cluster has not started.");

    public async Task InitializeAsync() => _cluster = await ShardCluster.StartAsync(3);

    public async Task DisposeAsync()
    {
        if (_cluster is not null) await _cluster.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}
