using System.Net;

namespace Recsys.Serving.Cluster;

/// <summary>One silo process's settings (what <c>recsys silo</c> takes from its flags).</summary>
public sealed record ClusterSiloOptions
{
    public required ClusterAddress Cluster { get; init; }
    /// <summary>Silo-to-silo port; 0 = a free port (localhost clustering: 11111 + the silo's index).</summary>
    public int SiloPort { get; init; }
    /// <summary>Port clients connect to; 0 = a free port (localhost clustering: 30000 + the silo's index).</summary>
    public int GatewayPort { get; init; }
    /// <summary>Address other silos and clients reach this silo at.</summary>
    public IPAddress Advertise { get; init; } = IPAddress.Loopback;
    /// <summary>Orleans cluster id: silos and clients with the same id form one cluster.</summary>
    public string ClusterId { get; init; } = "recsys";
    /// <summary>Orleans service id (stable across deployments of the same service).</summary>
    public string ServiceId { get; init; } = "recsys";
    /// <summary>Name shown by <c>cluster status</c>.</summary>
    public string? Name { get; init; }
    public ShardHostOptions Shards { get; init; } = new();
    public CoordinatorOptions Coordinator { get; init; } = new();
    /// <summary>How quickly a silo that stopped answering is declared dead (see <see cref="ClusterSilo"/>).</summary>
    public FailureDetection Detection { get; init; } = FailureDetection.Fast;

    public ClusterSiloOptions Validate()
    {
        if (SiloPort is < 0 or > 65535) throw new ArgumentOutOfRangeException(nameof(SiloPort), SiloPort, "must be in 0..65535.");
        if (GatewayPort is < 0 or > 65535) throw new ArgumentOutOfRangeException(nameof(GatewayPort), GatewayPort, "must be in 0..65535.");
        if (SiloPort != 0 && SiloPort == GatewayPort) throw new ArgumentException("the silo and gateway ports must differ.", nameof(GatewayPort));
        if (string.IsNullOrWhiteSpace(ClusterId)) throw new ArgumentException("the cluster id is required.", nameof(ClusterId));
        Shards.Validate();
        Coordinator.Validate();
        return this;
    }
}

/// <summary>Failure-detection timing: Orleans' defaults (tolerant of long pauses), or fast for one machine and tests.</summary>
public enum FailureDetection { Default, Fast }
