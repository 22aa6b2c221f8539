using Recsys.Data;
using Recsys.Embeddings.FastRp;

namespace Recsys.Embeddings.SemanticIds.Features;

/// <summary>
/// FastRP item rows of a dataset graph. <b>cooccurrence</b>: the user-item training graph — its even powers walk
/// item → user → item, the co-occurrence graph, without materialising it (Last.fm's item-item graph would hold a
/// large share of all item pairs). <b>kg</b>: the collaborative knowledge graph (interactions and KG triples, with
/// inverses), as the Last.fm FastRP runs embed it.
/// </summary>
public sealed class GraphBlock(bool knowledgeGraph, FastRpOptions options) : IItemFeatureBlock
{
    /// <summary>FastRP settings of the feature blocks: 128 dimensions, equal weights on A¹..A⁴ (a smoother mix blurs neighbouring items together).</summary>
    public static FastRpOptions DefaultOptions { get; } = new() { Dim = 128, Weights = [1f, 1f, 1f, 1f], Seed = 42 };

    public string Name => knowledgeGraph ? "kg" : "cooccurrence";

    public float[] Build(Dataset data, out int dim)
    {
        ArgumentNullException.ThrowIfNull(data);
        options.Validate();
        var graph = EmbeddingGraph.Of(data, knowledgeGraph);
        var all = FastRpEmbedder.Embed(graph.Adjacency, options);
        dim = options.Dim;
        // Node order: the user-item graph puts users first; the collaborative KG puts items first.
        int first = knowledgeGraph ? 0 : data.NumUsers;
        return all.AsSpan(first * dim, data.NumItems * dim).ToArray();
    }
}
