using Recsys.Tables;

namespace Recsys.Embeddings.GraphHash;

/// <summary>
/// DoubleGraphHash (Wu et al., WWW 2025): an id's vector is its GraphHash cluster row plus a second row picked by a
/// universal hash of the id, both in one shared table of C rows (C = clusters on this side, as in the paper's code),
/// so ids in one cluster still get distinct vectors.
/// </summary>
public sealed record DoubleGraphHashTableSpec(double Resolution = 200, int ClusterSeed = 0) : HashedTableSpec
{
    public override (int[][] Maps, int Rows) Maps(TableContext ctx)
    {
        var (labels, count) = GraphTableInputs.Clusters(ctx.Inputs, ctx.Side, Resolution, ClusterSeed);
        return ([labels, new UniversalHash(HashSeed(ctx, 0)).Map(ctx.Count, count)], count);
    }

    public override void Validate() { base.Validate(); GraphHashTableSpec.CheckResolution(Resolution); }
}
