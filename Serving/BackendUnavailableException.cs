namespace Recsys.Serving;

/// <summary>
/// The index behind the service could not answer for now (a cluster in the middle of a failover, a backend that is
/// down): the request was fine and may succeed when repeated, so the HTTP host answers 503, not 500.
/// </summary>
public sealed class BackendUnavailableException : IOException
{
    public BackendUnavailableException() { }
    public BackendUnavailableException(string message) : base(message) { }
    public BackendUnavailableException(string message, Exception? inner) : base(message, inner) { }
}
