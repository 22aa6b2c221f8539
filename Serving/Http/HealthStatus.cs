namespace Recsys.Serving.Http;

/// <summary>Answer of <c>/healthz</c> and <c>/readyz</c>.</summary>
public sealed record HealthStatus(string Status, string? Version = null);
