namespace Recsys.Serving.Cluster;

/// <summary>A replica asked not to wait is still loading its rows (it was just placed or moved); another replica should answer.</summary>
[GenerateSerializer]
public sealed class ReplicaLoadingException : Exception
{
    public ReplicaLoadingException() { }
    public ReplicaLoadingException(string message) : base(message) { }
    public ReplicaLoadingException(string message, Exception? inner) : base(message, inner) { }
}
