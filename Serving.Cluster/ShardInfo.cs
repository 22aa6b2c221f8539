namespace Recsys.Serving.Cluster;

/// <summary>A loaded shard replica: where it lives, which rows it holds and a checksum of their bits.</summary>
[GenerateSerializer, Immutable]
public sealed record ShardInfo
{
    [Id(0)] public required string Key { get; init; }
    [Id(1)] public required string Silo { get; init; }
    [Id(2)] public required int Start { get; init; }
    [Id(3)] public required int Count { get; init; }
    [Id(4)] public required int Dim { get; init; }
    /// <summary><see cref="RowChecksum"/> of the rows, so a front end can prove it holds the same item vectors.</summary>
    [Id(5)] public required ulong Checksum { get; init; }
    [Id(6)] public double LoadSeconds { get; init; }
    /// <summary>Rows of the whole item file as this silo read it (a silo seeing another file than the front's shows here).</summary>
    [Id(7)] public int FileRows { get; init; }
}
