using Recsys.Data;
using Recsys.Graphs;

namespace Recsys.Embeddings.GraphHash;

/// <summary>
/// GraphHash's id → embedding-row mapping (Wu et al., "Graph-based hashing for embedding tables", WWW 2025): Louvain
/// clusters of the bipartite user-item training graph (Barber modularity by default, as the paper's
/// <c>Louvain(resolution, force_bipartite=True)</c>), with user clusters and item clusters numbered separately, so a
/// user's row is its cluster's row in a user table of <see cref="UserRowCount"/> rows, and likewise for items.
/// </summary>
public sealed record GraphHashMapping(int[] UserRows, int[] ItemRows, int UserRowCount, int ItemRowCount, double Modularity, int Levels)
{
    /// <summary>Rows of the full tables divided by rows of the hashed tables.</summary>
    public double CompressionRatio => (double)(UserRows.Length + ItemRows.Length) / Math.Max(1, UserRowCount + ItemRowCount);

    /// <summary>Users' rows then items' rows, one array (the on-disk layout).</summary>
    public int[] Concatenated() => [.. UserRows, .. ItemRows];

    /// <summary>Clusters the user-item graph of <paramref name="r"/> and numbers user and item clusters separately.</summary>
    public static GraphHashMapping Build(InteractionMatrix r, LouvainOptions options, bool bipartite = true)
    {
        ArgumentNullException.ThrowIfNull(r);
        var adjacency = UserItemAdjacency.Binary(r);
        var result = bipartite
            ? Louvain.ClusterBipartite(adjacency, r.NumUsers, options)
            : Louvain.Cluster(adjacency, options);
        var (users, items, ur, ir) = SplitSides(result.Labels, r.NumUsers);
        return new GraphHashMapping(users, items, ur, ir, result.Modularity, result.Levels);
    }

    /// <summary>Splits joint labels (users first) into per-side labels numbered 0.. by first appearance on each side.</summary>
    public static (int[] Users, int[] Items, int UserCount, int ItemCount) SplitSides(ReadOnlySpan<int> labels, int numUsers)
    {
        var users = Dense(labels[..numUsers], out int uc);
        var items = Dense(labels[numUsers..], out int ic);
        return (users, items, uc, ic);
    }

    private static int[] Dense(ReadOnlySpan<int> labels, out int count)
    {
        var map = new Dictionary<int, int>();
        var r = new int[labels.Length];
        for (int i = 0; i < labels.Length; i++)
        {
            if (!map.TryGetValue(labels[i], out int m)) map[labels[i]] = m = map.Count;
            r[i] = m;
        }
        count = map.Count;
        return r;
    }
}
