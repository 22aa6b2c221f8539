using Recsys.Retrieval.Mips;

namespace Recsys.Serving.Cluster;

/// <summary>Top-k answer on the wire: [NumQueries, K] ids (−1 = padding) and scores (−∞ = padding), best first.</summary>
[GenerateSerializer, Immutable]
public sealed record ShardHits
{
    [Id(0)] public required int NumQueries { get; init; }
    [Id(1)] public required int K { get; init; }
    [Id(2)] public required int[] Ids { get; init; }
    [Id(3)] public required float[] Scores { get; init; }
    /// <summary>The version that answered (<see cref="ShardSetSpec.Id"/>).</summary>
    [Id(4)] public string VersionId { get; init; } = "";

    public MipsResult ToResult() => new(NumQueries, K, Ids, Scores);

    public static ShardHits From(MipsResult r, string versionId) => new() { NumQueries = r.NumQueries, K = r.K, Ids = r.Ids, Scores = r.Scores, VersionId = versionId };
}
