using QuikGraph;
using QuikGraph.Algorithms.ConnectedComponents;
using QuikGraph.Algorithms.Search;
using Recsys.Data;
using Recsys.Graphs;

namespace Recsys.Tests.Graphs;

public class KnowledgeGraphTests
{
    // Items 0,1,2; genre entities 3 (rock), 4 (jazz); artist 5. Relations: 0 genre, 1 artist.
    // Triples: 0 -genre-> 3, 1 -genre-> 3, 2 -genre-> 4, 0 -artist-> 5, 1 -artist-> 5, duplicate 0 -genre-> 3,
    // and 0 -artist-> 3 (a second relation between 0 and 3). Entity 6 is isolated.
    internal static KnowledgeTriples Tiny() => new(
        heads: [0, 1, 2, 0, 1, 0, 0],
        relations: [0, 0, 0, 1, 1, 0, 1],
        tails: [3, 3, 4, 5, 5, 3, 3],
        numEntities: 7, relationNames: ["genre", "artist"]);

    [Fact]
    public void Csr_by_head_sorted_by_tail_then_relation_without_duplicates()
    {
        var g = KnowledgeGraph.Build(Tiny(), addInverse: false);
        Assert.Equal(6, g.EdgeCount);
        Assert.Equal(2, g.NumRelations);
        Assert.False(g.HasInverse);
        Assert.Equal([3, 3, 5], g.Neighbors(0).ToArray());
        Assert.Equal([0, 1, 1], g.RelationsOf(0).ToArray());
        Assert.Equal([0, 0, 0, 1, 1, 2], g.Heads);
        Assert.True(g.Neighbors(3).IsEmpty);
    }

    [Fact]
    public void Inverse_relations_get_shifted_ids_and_tilde_names()
    {
        var g = KnowledgeGraph.Build(Tiny(), addInverse: true);
        Assert.Equal(12, g.EdgeCount);
        Assert.Equal(["genre", "artist", "~genre", "~artist"], g.RelationNames);
        Assert.True(g.HasInverse);
        Assert.Equal(3, g.Inverse(1));
        Assert.Equal(0, g.Inverse(2));
        // Entity 3 (rock) now points back at items 0 (by ~genre and ~artist) and 1 (~genre).
        Assert.Equal([0, 0, 1], g.Neighbors(3).ToArray());
        Assert.Equal([2, 3, 2], g.RelationsOf(3).ToArray());
        Assert.Equal([0, 1], g.Neighbors(5).ToArray());
        Assert.Equal([3, 3], g.RelationsOf(5).ToArray());
    }

    [Fact]
    public void QuikGraph_sees_tagged_edges_both_ways()
    {
        var g = KnowledgeGraph.Build(Tiny(), addInverse: false);
        Assert.Equal([new STaggedEdge<int, int>(0, 3, 0), new STaggedEdge<int, int>(1, 3, 0), new STaggedEdge<int, int>(0, 3, 1)],
            g.InEdges(3).OrderBy(e => e.Tag).ThenBy(e => e.Source));
        Assert.Equal(3, g.InDegree(3));
        Assert.Equal(0, g.OutDegree(3));
        Assert.True(g.TryGetEdges(0, 3, out var both));
        Assert.Equal([0, 1], both.Select(e => e.Tag));
        Assert.True(g.TryGetEdge(0, 3, out var first));
        Assert.Equal(0, first.Tag);
        Assert.True(g.ContainsEdge(new STaggedEdge<int, int>(1, 5, 1)));
        Assert.False(g.ContainsEdge(new STaggedEdge<int, int>(1, 5, 0)));
        Assert.Equal(-1, g.FindEdge(5, 1, 1));
        Assert.Equal(g.EdgeCount, g.Edges.Count());
    }

    [Fact]
    public void Bfs_follows_directed_edges_and_weak_components_ignore_direction()
    {
        var g = KnowledgeGraph.Build(Tiny(), addInverse: false);
        var reached = new HashSet<int>();
        var bfs = new BreadthFirstSearchAlgorithm<int, STaggedEdge<int, int>>(g);
        bfs.DiscoverVertex += v => reached.Add(v);
        bfs.SetRootVertex(0);
        bfs.Compute(0);
        // From item 0: rock (3) and the artist (5); nothing points further.
        Assert.Equal([0, 3, 5], reached.Order());

        var inv = KnowledgeGraph.Build(Tiny(), addInverse: true);
        reached.Clear();
        var bfs2 = new BreadthFirstSearchAlgorithm<int, STaggedEdge<int, int>>(inv);
        bfs2.DiscoverVertex += v => reached.Add(v);
        bfs2.Compute(0);
        Assert.Equal([0, 1, 3, 5], reached.Order()); // item 1 via rock or the artist; jazz (2, 4) unreachable

        var wcc = new WeaklyConnectedComponentsAlgorithm<int, STaggedEdge<int, int>>(g);
        wcc.Compute();
        Assert.Equal(3, wcc.ComponentCount); // {0,1,3,5}, {2,4}, {6}
        Assert.Equal(wcc.Components[1], wcc.Components[5]);
        Assert.Equal(wcc.Components[2], wcc.Components[4]);
        Assert.NotEqual(wcc.Components[0], wcc.Components[4]);
    }

    [Fact]
    public void Out_of_range_triples_are_rejected()
    {
        var bad = new KnowledgeTriples([0], [2], [1], 3, ["a", "b"]);
        Assert.Throws<InvalidDataException>(() => KnowledgeGraph.Build(bad, false));
        var badEntity = new KnowledgeTriples([0], [0], [3], 3, ["a"]);
        Assert.Throws<InvalidDataException>(() => KnowledgeGraph.Build(badEntity, true));
    }

    [Fact]
    public void ToTriples_round_trips()
    {
        var g = KnowledgeGraph.Build(Tiny(), addInverse: true);
        var again = KnowledgeGraph.Build(g.ToTriples(), addInverse: false);
        Assert.Equal(g.RowPtr, again.RowPtr);
        Assert.Equal(g.Tails, again.Tails);
        Assert.Equal(g.Relations, again.Relations);
    }
}
