using Recsys.Data;
using Recsys.Embeddings.FastRp;
using Recsys.Tables;

namespace Recsys.Embeddings.GraphHash;

/// <summary>
/// The <see cref="ITableGraphSource"/> the CLI hands to the Trainer: bipartite Louvain clusters (<see cref="GraphHashMapping"/>)
/// for GraphHash tables and FastRP embeddings of the user-item graph (with <see cref="FastRpOptions"/> defaults
/// otherwise) as LSH side features. The last clustering and the last features are cached, so a user table and an
/// item table built from the same training data and parameters share one computation.
/// </summary>
public sealed class GraphTableSource : ITableGraphSource
{
    private readonly object _gate = new();
    private (InteractionMatrix Train, double Resolution, int Seed, GraphHashMapping Mapping)? _clusters;
    private (InteractionMatrix Train, int Dim, int Seed, float[] Features)? _features;

    /// <summary>Options of the FastRP side features (Dim and Seed are replaced by the table's).</summary>
    public FastRpOptions FastRp { get; init; } = new();

    public (int[] Labels, int Count) Clusters(InteractionMatrix train, TableSide side, double resolution, int seed)
    {
        var m = Mapping(train, resolution, seed);
        return side == TableSide.Users ? (m.UserRows, m.UserRowCount) : (m.ItemRows, m.ItemRowCount);
    }

    /// <summary>The GraphHash mapping of <paramref name="train"/> at <paramref name="resolution"/> (cached).</summary>
    public GraphHashMapping Mapping(InteractionMatrix train, double resolution, int seed)
    {
        lock (_gate)
        {
            if (_clusters is { } c && ReferenceEquals(c.Train, train) && c.Resolution == resolution && c.Seed == seed) return c.Mapping;
            var mapping = GraphHashMapping.Build(train, new LouvainOptions { Resolution = resolution, Seed = seed });
            _clusters = (train, resolution, seed, mapping);
            return mapping;
        }
    }

    public float[] NodeFeatures(InteractionMatrix train, TableSide side, int dim, int seed)
    {
        float[] all;
        lock (_gate)
        {
            if (_features is { } f && ReferenceEquals(f.Train, train) && f.Dim == dim && f.Seed == seed) all = f.Features;
            else
            {
                all = FastRpEmbedder.Embed(UserItemAdjacency.Binary(train), FastRp with { Dim = dim, Seed = seed });
                _features = (train, dim, seed, all);
            }
        }
        return side == TableSide.Users
            ? all.AsSpan(0, train.NumUsers * dim).ToArray()
            : all.AsSpan(train.NumUsers * dim, train.NumItems * dim).ToArray();
    }
}
