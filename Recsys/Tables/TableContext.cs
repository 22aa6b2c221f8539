using Recsys.Data;

namespace Recsys.Tables;

/// <summary>Which ids a table serves.</summary>
public enum TableSide
{
    Users,
    Items,
}

/// <summary>
/// Everything a <see cref="EmbeddingTableSpec"/> may use to build its table: the shape (<see cref="Count"/> ids,
/// rows of width <see cref="Dim"/>), the seed of its weights and hash functions, the training interactions and
/// the side it serves (hashed tables derive their id → row maps from them: degrees, clusters, side features),
/// and an optional <see cref="ITableGraphSource"/> for what the core cannot compute itself (Louvain clusters,
/// FastRP features).
/// </summary>
public sealed record TableContext(int Count, int Dim, ulong Seed, InteractionMatrix Train, TableSide Side, ITableGraphSource? Graph = null)
{
    /// <summary>The table's ids per side: users or items of <paramref name="train"/>.</summary>
    public static TableContext For(InteractionMatrix train, TableSide side, int dim, ulong seed, ITableGraphSource? graph = null) =>
        new(side == TableSide.Users ? train.NumUsers : train.NumItems, dim, seed, train, side, graph);

    /// <summary>The graph source, or an error naming the table kind that needs one.</summary>
    public ITableGraphSource RequireGraph(string kind) => Graph ?? throw new InvalidOperationException(
        $"the {kind} table needs an {nameof(ITableGraphSource)} (Recsys.Embeddings' GraphTableSource); pass one to the Trainer / ModelOptions.Create.");

    /// <summary>Training degree of every id on this side (interactions per user or per item).</summary>
    public int[] Degrees()
    {
        if (Side == TableSide.Items) return Train.ItemDegrees();
        var d = new int[Train.NumUsers];
        for (int u = 0; u < d.Length; u++) d[u] = Train.UserDegree(u);
        return d;
    }
}
