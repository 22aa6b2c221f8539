namespace Recsys.Serving.Cluster;

/// <summary>
/// The cluster holds other item vectors than the model asking it (another file behind the same path, another catalog
/// size): its answers would not be the model's, so nothing is searched.
/// </summary>
public sealed class ClusterMismatchException : IOException
{
    public ClusterMismatchException() { }
    public ClusterMismatchException(string message) : base(message) { }
    public ClusterMismatchException(string message, Exception? inner) : base(message, inner) { }
}
