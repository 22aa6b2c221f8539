using Recsys.Tables;

namespace Recsys.Embeddings.GraphHash;

/// <summary>
/// GraphHash (Wu et al., WWW 2025): an id's row is its cluster's row, clusters from bipartite (Barber) Louvain
/// modularity clustering of the training user-item graph at <see cref="Resolution"/> (paper: 200 on Gowalla), so the
/// row count is the number of clusters on this side. User and item tables with the same resolution and <see cref="ClusterSeed"/> share one clustering
/// (cached in the model inputs).
/// </summary>
public sealed record GraphHashTableSpec(double Resolution = 200, int ClusterSeed = 0) : HashedTableSpec
{
    public override (int[][] Maps, int Rows) Maps(TableContext ctx)
    {
        var (labels, count) = GraphTableInputs.Clusters(ctx.Inputs, ctx.Side, Resolution, ClusterSeed);
        return ([labels], count);
    }

    public override void Validate() { base.Validate(); CheckResolution(Resolution); }

    internal static void CheckResolution(double r)
    {
        if (!(r > 0) || double.IsInfinity(r)) throw new ArgumentOutOfRangeException(nameof(Resolution), r, "must be positive and finite.");
    }
}
