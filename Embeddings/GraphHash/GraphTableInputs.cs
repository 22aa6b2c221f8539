using Recsys.Data;
using Recsys.Embeddings.FastRp;
using Recsys.Models;
using Recsys.Tables;

namespace Recsys.Embeddings.GraphHash;

/// <summary>
/// The graph computations GraphHash-family tables derive from a model's inputs: bipartite Louvain clusters
/// (<see cref="GraphHashMapping"/>) and FastRP embeddings of the user-item graph (<see cref="FastRpOptions"/> defaults
/// otherwise) as LSH side features. Each is computed once per <see cref="ModelInputs"/> and parameters
/// (<see cref="ModelInputs.Derived"/>), so a user and an item table — or a front end sizing a budget and the model it
/// then builds — share one computation. Deterministic in its arguments, so a resumed run rebuilds the same maps.
/// </summary>
public static class GraphTableInputs
{
    private sealed record ClusteringKey(double Resolution, int Seed);
    private sealed record FeaturesKey(int Dim, int Seed);

    /// <summary>The GraphHash mapping of the inputs' training graph at <paramref name="resolution"/>.</summary>
    public static GraphHashMapping Mapping(ModelInputs inputs, double resolution, int seed) =>
        inputs.Derived.GetOrAdd(new ClusteringKey(resolution, seed),
            () => GraphHashMapping.Build(inputs.Train, new LouvainOptions { Resolution = resolution, Seed = seed }));

    /// <summary>For each id of <paramref name="side"/> its cluster in 0..Count-1 (user and item clusters numbered separately).</summary>
    public static (int[] Labels, int Count) Clusters(ModelInputs inputs, TableSide side, double resolution, int seed)
    {
        var m = Mapping(inputs, resolution, seed);
        return side == TableSide.Users ? (m.UserRows, m.UserRowCount) : (m.ItemRows, m.ItemRowCount);
    }

    /// <summary>FastRP embeddings of the ids of <paramref name="side"/>: row-major [ids, <paramref name="dim"/>].</summary>
    public static float[] NodeFeatures(ModelInputs inputs, TableSide side, int dim, int seed)
    {
        var all = inputs.Derived.GetOrAdd(new FeaturesKey(dim, seed),
            () => FastRpEmbedder.Embed(UserItemAdjacency.Binary(inputs.Train), new FastRpOptions() with { Dim = dim, Seed = seed }));
        var train = inputs.Train;
        return side == TableSide.Users
            ? all.AsSpan(0, train.NumUsers * dim).ToArray()
            : all.AsSpan(train.NumUsers * dim, train.NumItems * dim).ToArray();
    }
}
