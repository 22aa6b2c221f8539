using Recsys.Data;
using Recsys.Embeddings;
using Recsys.Embeddings.FastRp;

namespace Recsys.Eval.Baselines;

/// <summary>
/// FastRP as a zero-training recommender (Chen et al., CIKM 2019): FastRP embeddings of the bipartite user-item
/// training graph (users 0..U-1, items U..U+I-1), and score(u, i) = e_u · e_i, so users are recommended the items
/// whose multi-hop neighbourhoods their own overlaps most.
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
}
