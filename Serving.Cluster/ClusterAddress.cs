using System.Globalization;

namespace Recsys.Serving.Cluster;

/// <summary>
/// Where a cluster's membership lives: <c>localhost</c> (Orleans' development clustering: the primary silo at
/// 127.0.0.1:11111, gateways from 30000 up; one machine only) or <c>redis://HOST:PORT</c> (Orleans' Redis membership
/// table, for several processes and machines).
/// </summary>
public sealed record ClusterAddress
{
    /// <summary>Silo-to-silo port of the primary silo under localhost clustering.</summary>
    public const int LocalPrimaryPort = 11111;
    /// <summary>First gateway port under localhost clustering (silo i uses LocalGatewayBase + i).</summary>
    public const int LocalGatewayBase = 30000;

    /// <summary>Redis endpoint "HOST:PORT"; null for localhost clustering.</summary>
    public string? Redis { get; init; }
    /// <summary>Gateway ports a client tries under localhost clustering.</summary>
    public IReadOnlyList<int> LocalGateways { get; init; } = [LocalGatewayBase, LocalGatewayBase + 1, LocalGatewayBase + 2];

    public bool IsLocalhost => Redis is null;

    /// <summary>
    /// Parses <c>localhost</c>, <c>localhost:P1,P2,…</c> (the gateway ports a client tries) or <c>redis://HOST:PORT</c>.
    /// </summary>
    public static ClusterAddress Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var t = text.Trim();
        if (t.Equals("localhost", StringComparison.OrdinalIgnoreCase)) return new ClusterAddress();
        if (t.StartsWith("localhost:", StringComparison.OrdinalIgnoreCase))
        {
            var ports = t["localhost:".Length..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var parsed = ports.Select(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out int v) && v is > 0 and < 65536 ? v
                : throw new FormatException($"'{text}': '{p}' is not a port (expected localhost:PORT[,PORT…]).")).ToArray();
            if (parsed.Length == 0) throw new FormatException($"'{text}': no gateway port after 'localhost:' (expected localhost:PORT[,PORT…]).");
            return new ClusterAddress { LocalGateways = parsed };
        }
        if (t.StartsWith("redis://", StringComparison.OrdinalIgnoreCase))
        {
            var hostPort = t["redis://".Length..].TrimEnd('/');
            int colon = hostPort.LastIndexOf(':');
            if (colon <= 0 || !int.TryParse(hostPort.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port is < 1 or > 65535)
                throw new FormatException($"'{text}': expected redis://HOST:PORT.");
            return new ClusterAddress { Redis = hostPort };
        }
        throw new FormatException($"'{text}': expected localhost or redis://HOST:PORT.");
    }

    public override string ToString() =>
        Redis is not null ? $"redis://{Redis}"
        : LocalGateways.SequenceEqual([LocalGatewayBase, LocalGatewayBase + 1, LocalGatewayBase + 2]) ? "localhost"
        : $"localhost:{string.Join(',', LocalGateways)}";
}
