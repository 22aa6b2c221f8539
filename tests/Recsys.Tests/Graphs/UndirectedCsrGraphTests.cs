using QuikGraph;
using QuikGraph.Algorithms.ConnectedComponents;
using QuikGraph.Algorithms.Search;
using Recsys.Graphs;

namespace Recsys.Tests.Graphs;

/// <summary>QuikGraph algorithms on the CSR graph views, against hand-solved tiny graphs.</summary>
public class UndirectedCsrGraphTests
{
    /// <summary>K3 on {0,1,2} and K4 on {3,4,5,6}.</summary>
    internal static UndirectedCsrGraph TwoCliques()
    {
        var s = new List<int>(); var t = new List<int>();
        void Clique(int from, int to)
        {
            for (int a = from; a < to; a++)
                for (int b = a + 1; b < to; b++) { s.Add(a); t.Add(b); }
        }
        Clique(0, 3); Clique(3, 7);
        return UndirectedCsrGraph.FromEdges(7, s.ToArray(), t.ToArray());
    }

    /// <summary>Star: centre 0, leaves 1..5.</summary>
    private static UndirectedCsrGraph Star() => UndirectedCsrGraph.FromEdges(6, [0, 0, 0, 0, 0], [1, 2, 3, 4, 5]);

    /// <summary>Path 0-1-2-3-4 given out of order and with a reversed duplicate.</summary>
    private static UndirectedCsrGraph Path() => UndirectedCsrGraph.FromEdges(5, [3, 0, 2, 1, 2], [4, 1, 1, 2, 3]);

    [Fact]
    public void Counts_neighbours_and_edges()
    {
        var g = TwoCliques();
        Assert.Equal(7, g.VertexCount);
        Assert.Equal(3 + 6, g.EdgeCount);
        Assert.Equal([1, 2], g.Neighbors(0).ToArray());
        Assert.Equal([4, 5, 6], g.Neighbors(3).ToArray());
        Assert.True(g.ContainsEdge(5, 3));
        Assert.False(g.ContainsEdge(2, 3));
        Assert.Equal(9, g.Edges.Count());
        Assert.All(g.Edges, e => Assert.True(e.Source < e.Target));
        var p = Path();
        Assert.Equal(4, p.EdgeCount);
        Assert.Equal([1, 3], p.Neighbors(2).ToArray());
        Assert.Equal([new SUndirectedEdge<int>(1, 2), new SUndirectedEdge<int>(2, 3)], p.AdjacentEdges(2));
        Assert.Equal(3, p.NeighborAt(2, 1));
        Assert.Throws<VertexNotFoundException>(() => p.AdjacentEdges(5).ToList());
    }

    [Fact]
    public void Self_loop_counts_as_one_edge()
    {
        var g = UndirectedCsrGraph.FromEdges(2, [0, 1], [1, 1]);
        Assert.Equal(2, g.EdgeCount);
        Assert.Equal([0, 1], g.Neighbors(1).ToArray());
        Assert.Equal(3, g.AsDirected().EdgeCount);
    }

    [Fact]
    public void Connected_components_of_two_cliques()
    {
        var cc = new ConnectedComponentsAlgorithm<int, SUndirectedEdge<int>>(TwoCliques());
        cc.Compute();
        Assert.Equal(2, cc.ComponentCount);
        Assert.Equal(cc.Components[0], cc.Components[2]);
        Assert.Equal(cc.Components[3], cc.Components[6]);
        Assert.NotEqual(cc.Components[0], cc.Components[3]);

        var weak = new WeaklyConnectedComponentsAlgorithm<int, SEdge<int>>(TwoCliques().AsDirected());
        weak.Compute();
        Assert.Equal(2, weak.ComponentCount);
        Assert.Equal(weak.Components[4], weak.Components[5]);
        Assert.NotEqual(weak.Components[1], weak.Components[5]);
    }

    [Fact]
    public void Isolated_vertices_are_their_own_components()
    {
        var g = UndirectedCsrGraph.FromEdges(4, [1], [2]);
        var cc = new ConnectedComponentsAlgorithm<int, SUndirectedEdge<int>>(g);
        cc.Compute();
        Assert.Equal(3, cc.ComponentCount);
    }

    /// <summary>Hop distances from <paramref name="root"/> by QuikGraph's directed BFS on the symmetric view.</summary>
    private static int[] DirectedBfs(UndirectedCsrGraph g, int root)
    {
        var dist = Enumerable.Repeat(-1, g.VertexCount).ToArray();
        dist[root] = 0;
        var bfs = new BreadthFirstSearchAlgorithm<int, SEdge<int>>(g.AsDirected());
        bfs.TreeEdge += e => dist[e.Target] = dist[e.Source] + 1;
        bfs.Compute(root);
        return dist;
    }

    private static int[] UndirectedBfs(UndirectedCsrGraph g, int root)
    {
        var dist = Enumerable.Repeat(-1, g.VertexCount).ToArray();
        dist[root] = 0;
        var bfs = new UndirectedBreadthFirstSearchAlgorithm<int, SUndirectedEdge<int>>(g);
        bfs.TreeEdge += (_, e) => dist[e.Target] = dist[e.Source] + 1;
        bfs.Compute(root);
        return dist;
    }

    [Fact]
    public void Bfs_on_star_path_and_cliques()
    {
        Assert.Equal([0, 1, 1, 1, 1, 1], DirectedBfs(Star(), 0));
        Assert.Equal([1, 2, 2, 0, 2, 2], DirectedBfs(Star(), 3));
        Assert.Equal([0, 1, 2, 3, 4], DirectedBfs(Path(), 0));
        Assert.Equal([2, 1, 0, 1, 2], UndirectedBfs(Path(), 2));
        Assert.Equal([4, 3, 2, 1, 0], UndirectedBfs(Path(), 4));
        // BFS never crosses to the other clique.
        Assert.Equal([-1, -1, -1, 0, 1, 1, 1], DirectedBfs(TwoCliques(), 3));
        Assert.Equal([1, 0, 1, -1, -1, -1, -1], UndirectedBfs(TwoCliques(), 1));
        Assert.Equal([1, 2, 2, 0, 2, 2], CsrTraversal.BreadthFirstDistances(Star(), 3));
        Assert.Equal([2, 1, 0, 1, 2], CsrTraversal.BreadthFirstDistances(Path(), 2));
        Assert.Equal([-1, -1, -1, 0, 1, 1, 1], CsrTraversal.BreadthFirstDistances(TwoCliques(), 3));
    }

    [Fact]
    public void Array_components_number_by_lowest_vertex()
    {
        Assert.Equal([0, 0, 0, 1, 1, 1, 1], CsrTraversal.ConnectedComponents(TwoCliques(), out int c));
        Assert.Equal(2, c);
        Assert.Equal([0, 1, 1, 2], CsrTraversal.ConnectedComponents(UndirectedCsrGraph.FromEdges(4, [2], [1]), out c));
        Assert.Equal(3, c);
    }

    [Fact]
    public void Array_traversals_agree_with_QuikGraph_on_a_random_graph()
    {
        var rng = new Random(9);
        int n = 300, m = 260; // sparse: many components
        var s = new int[m]; var t = new int[m];
        for (int k = 0; k < m; k++) { s[k] = rng.Next(n); t[k] = rng.Next(n); }
        var g = UndirectedCsrGraph.FromEdges(n, s, t);
        var cc = new ConnectedComponentsAlgorithm<int, SUndirectedEdge<int>>(g);
        cc.Compute();
        var labels = CsrTraversal.ConnectedComponents(g, out int count);
        Assert.Equal(cc.ComponentCount, count);
        for (int a = 0; a < n; a++)
            for (int b = a + 1; b < n; b += 7)
                Assert.Equal(cc.Components[a] == cc.Components[b], labels[a] == labels[b]);
        Assert.Equal(UndirectedBfs(g, 0), CsrTraversal.BreadthFirstDistances(g, 0));
    }

    [Fact]
    public void Directed_view_in_edges_mirror_out_edges()
    {
        var v = Star().AsDirected();
        Assert.Equal(10, v.EdgeCount);
        Assert.Equal(5, v.OutDegree(0));
        Assert.Equal(5, v.InDegree(0));
        Assert.Equal(10, v.Degree(0));
        Assert.All(v.InEdges(0), e => Assert.Equal(0, e.Target));
        Assert.Equal(new SEdge<int>(4, 0), v.InEdge(0, 3));
        Assert.Equal(new SEdge<int>(0, 4), v.OutEdge(0, 3));
        Assert.True(v.TryGetEdge(2, 0, out var e));
        Assert.Equal(new SEdge<int>(2, 0), e);
        Assert.False(v.TryGetEdge(2, 3, out _));
        Assert.False(v.TryGetOutEdges(9, out _));
    }
}
