using Recsys.Data;

namespace Recsys.Tables;

/// <summary>
/// Graph computations some hashed tables need at build time but the core does not own: Louvain clustering and
/// FastRP live in Recsys.Embeddings, which references the core, so Embeddings implements this interface
/// (<c>GraphTableSource</c>) and callers (the CLI) hand it to the <see cref="Training.Trainer"/>, which passes it
/// through <see cref="TableContext"/>. Implementations must be deterministic in their arguments, so a resumed
/// run rebuilds the same id → row maps.
/// </summary>
public interface ITableGraphSource
{
    /// <summary>
    /// Bipartite modularity clusters of the user-item graph of <paramref name="train"/> at <paramref name="resolution"/>
    /// (node order seeded by <paramref name="seed"/>): for each id of <paramref name="side"/> its cluster in
    /// 0..Count-1, with user and item clusters numbered separately.
    /// </summary>
    (int[] Labels, int Count) Clusters(InteractionMatrix train, TableSide side, double resolution, int seed);

    /// <summary>Side features of the ids of <paramref name="side"/>: row-major [ids, <paramref name="dim"/>] (e.g. FastRP embeddings of the user-item graph).</summary>
    float[] NodeFeatures(InteractionMatrix train, TableSide side, int dim, int seed);
}
