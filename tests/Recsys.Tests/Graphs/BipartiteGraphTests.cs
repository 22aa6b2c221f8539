using QuikGraph;
using QuikGraph.Algorithms.ConnectedComponents;
using Recsys.Data;
using Recsys.Graphs;

namespace Recsys.Tests.Graphs;

public class BipartiteGraphTests
{
    [Fact]
    public void Layout_users_then_items()
    {
        var g = BipartiteGraph.Build(AdjacencyBuilderTests.Tiny()); // 3 users, 3 items
        Assert.Equal(6, g.VertexCount);
        Assert.Equal(4, g.EdgeCount);
        Assert.Equal([3, 4], g.Neighbors(0).ToArray());   // u0 → i0, i1
        Assert.Equal([4, 5], g.Neighbors(1).ToArray());
        Assert.True(g.Neighbors(2).IsEmpty);
        Assert.Equal([0, 1], g.Neighbors(g.ItemVertex(1)).ToArray());
        Assert.Equal([2, 2, 0, 1, 2, 1], g.Degrees());
        Assert.True(g.IsUser(2));
        Assert.False(g.IsUser(3));
        Assert.Equal(2, g.ItemOf(5));
        Assert.True(g.ContainsEdge(4, 1));
        Assert.False(g.ContainsEdge(0, 1));
    }

    [Fact]
    public void Adjacency_is_symmetric_with_the_interaction_pattern()
    {
        var rng = new Random(4);
        var us = new int[300]; var its = new int[300];
        for (int k = 0; k < 300; k++) { us[k] = rng.Next(50); its[k] = rng.Next(30); }
        var r = InteractionMatrix.From(us, its, 50, 30);
        var a = BipartiteGraph.Build(r).ToAdjacency();
        var d = CsrMatrixTests.ToDense(a);
        var t = CsrMatrixTests.ToDense(a.Transpose());
        Assert.Equal(d, t);
        for (int u = 0; u < 50; u++)
            for (int i = 0; i < 30; i++) Assert.Equal(r.Contains(u, i) ? 1f : 0f, d[u, 50 + i]);
        Assert.Equal(2 * r.NonZeros, a.NonZeros);
    }

    [Fact]
    public void Components_separate_disjoint_communities()
    {
        // Users 0,1 share items 0,1; users 2,3 share items 2,3; user 4 and item 4 are isolated.
        var r = InteractionMatrix.From([0, 0, 1, 2, 3, 3], [0, 1, 1, 2, 2, 3], numUsers: 5, numItems: 5);
        var g = BipartiteGraph.Build(r);
        var cc = new ConnectedComponentsAlgorithm<int, SUndirectedEdge<int>>(g);
        cc.Compute();
        Assert.Equal(4, cc.ComponentCount);
        Assert.Equal(cc.Components[0], cc.Components[g.ItemVertex(1)]);
        Assert.Equal(cc.Components[3], cc.Components[g.ItemVertex(2)]);
        Assert.NotEqual(cc.Components[0], cc.Components[2]);
        Assert.NotEqual(cc.Components[4], cc.Components[g.ItemVertex(4)]);
    }
}
