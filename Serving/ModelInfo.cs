namespace Recsys.Serving;

/// <summary>What <c>GET /v1/models</c> reports about the snapshot being served.</summary>
public sealed record ModelInfo(string Version, long Generation, string Kind, int Items, int Users, int Dim, DateTimeOffset LoadedAt);
