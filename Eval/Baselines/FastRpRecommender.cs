using Recsys.Data;
using Recsys.Embeddings;
using Recsys.Graphs;
using Recsys.Embeddings.FastRp;

namespace Recsys.Eval.Baselines;

/// <summary>
/// FastRP as a zero-training recommender (Chen et al., CIKM 2019): FastRP embeddings of the bipartite user-item
/// training graph (users 0..U-1, items U..U+I-1), and score(u, i) = e_u · e_i, so users are recommended the items
/// whose multi-hop neighbourhoods their own overlaps most. With a knowledge graph the same runs on the collaborative
/// knowledge graph (users, items and KG entities; interactions plus KG triples, untyped): items that nobody has
/// interacted with in training still get vectors from their KG neighbours, so they can be recommended.
/// </summary>
public static class FastRpRecommender
{
    /// <summary>User vectors [NumUsers, options.Dim] and item vectors [NumItems, options.Dim], row-major.</summary>
    public static (float[] Users, float[] Items) Embeddings(InteractionMatrix train, FastRpOptions options)
    {
        ArgumentNullException.ThrowIfNull(train);
        var all = FastRpEmbedder.Embed(UserItemAdjacency.Binary(train), options);
        int u = train.NumUsers * options.Dim;
        return (all.AsSpan(0, u).ToArray(), all.AsSpan(u).ToArray());
    }

    /// <summary>User and item vectors from FastRP of the collaborative knowledge graph of <paramref name="train"/> and <paramref name="knowledge"/>.</summary>
    public static (float[] Users, float[] Items) Embeddings(InteractionMatrix train, KnowledgeTriples knowledge, FastRpOptions options)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(knowledge);
        var ckg = CollaborativeKnowledgeGraph.Build(train, knowledge, addInverse: true);
        var all = FastRpEmbedder.Embed(ckg.Graph.Adjacency(), options);
        int d = options.Dim;
        return (all.AsSpan(ckg.UserOffset * d, train.NumUsers * d).ToArray(), all.AsSpan(0, train.NumItems * d).ToArray());
    }
}
