using Recsys.Data;
using Recsys.Embeddings.FastRp;
using Recsys.Eval.Baselines;
using Recsys.Graphs;

namespace Recsys.Tests.Eval.Baselines;

public class FastRpKnowledgeTests
{
    [Fact]
    public void RelationAgnosticAdjacencyCountsParallelRelations()
    {
        // (0, a, 1), (0, b, 1), (1, a, 2) with inverses: A[0,1] = A[1,0] = 2, A[1,2] = A[2,1] = 1.
        var g = KnowledgeGraph.Build(new KnowledgeTriples([0, 0, 1], [0, 1, 0], [1, 1, 2], 3, ["a", "b"]), addInverse: true);
        var a = g.Adjacency();
        Assert.Equal([0, 1, 3, 4], a.RowPtr);
        Assert.Equal([1, 0, 2, 1], a.ColIdx);
        Assert.Equal([2f, 2f, 1f, 1f], a.Values);
    }

    [Fact]
    public void CollaborativeKnowledgeGraphPlacesItemsWithoutInteractions()
    {
        // Items 0..3 (entities 0..3), extra entities 4 and 5. User 0 likes item 0, user 1 likes item 1.
        // Items 2 and 3 have no interaction: item 2 shares entity 4 with item 0, item 3 shares entity 5 with item 1.
        // The user-item graph cannot tell items 2 and 3 apart for either user; the knowledge graph can.
        var train = InteractionMatrix.From([0, 1], [0, 1], 2, 4);
        var kg = new KnowledgeTriples([0, 2, 1, 3], [0, 0, 0, 0], [4, 4, 5, 5], 6, ["tag"]);
        var o = new FastRpOptions { Dim = 256, Weights = [1, 1, 1], Beta = 0, Seed = 3 };
        var (users, items) = FastRpRecommender.Embeddings(train, kg, o);
        Assert.Equal(2 * 256, users.Length);
        Assert.Equal(4 * 256, items.Length);
        float S(int u, int i) => System.Numerics.Tensors.TensorPrimitives.Dot(users.AsSpan(u * 256, 256), items.AsSpan(i * 256, 256));
        Assert.True(S(0, 2) > S(0, 3), $"user 0: item 2 {S(0, 2)} vs item 3 {S(0, 3)}");
        Assert.True(S(1, 3) > S(1, 2), $"user 1: item 3 {S(1, 3)} vs item 2 {S(1, 2)}");
        var (_, plainItems) = FastRpRecommender.Embeddings(train, o);
        // Without the KG, items 2 and 3 are both isolated: identical rows, so no user can prefer one over the other.
        Assert.Equal(plainItems.AsSpan(2 * 256, 256).ToArray(), plainItems.AsSpan(3 * 256, 256).ToArray());
    }
}
