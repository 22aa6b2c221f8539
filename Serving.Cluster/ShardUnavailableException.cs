namespace Recsys.Serving.Cluster;

/// <summary>No replica of a shard answered: the cluster has lost every silo that held it and has not re-placed it yet.</summary>
[GenerateSerializer]
public sealed class ShardUnavailableException : Exception
{
    public ShardUnavailableException() { }
    public ShardUnavailableException(string message) : base(message) { }
    public ShardUnavailableException(string message, Exception? inner) : base(message, inner) { }
}
