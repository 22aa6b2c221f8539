namespace Recsys.Tests.Cluster;

/// <summary>
/// Tests that kill or stop silos and time the failover run alone: the silos detect a dead peer by missed probes within a second
/// or two, and on a 2-core machine busy with the rest of the suite a starved live silo could miss them too and be
/// declared dead, which tests the scheduler instead of the failover.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FailoverCollection
{
    public const string Name = "failover";
}
