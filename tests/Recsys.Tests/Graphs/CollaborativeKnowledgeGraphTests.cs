using Recsys.Data;
using Recsys.Graphs;

namespace Recsys.Tests.Graphs;

public class CollaborativeKnowledgeGraphTests
{
    [Fact]
    public void Users_follow_kg_entities_and_interact_is_relation_zero()
    {
        // 2 users, 3 items; KG of KnowledgeGraphTests.Tiny (7 entities, relations genre, artist).
        var train = InteractionMatrix.From([0, 0, 1], [0, 2, 1], numUsers: 2, numItems: 3);
        var ckg = CollaborativeKnowledgeGraph.Build(train, KnowledgeGraphTests.Tiny());
        var g = ckg.Graph;
        Assert.Equal(7, ckg.UserOffset);
        Assert.Equal(9, ckg.NumEntities);
        Assert.Equal(8, ckg.UserEntity(1));
        Assert.Equal(["interact", "genre", "artist", "~interact", "~genre", "~artist"], g.RelationNames);
        Assert.Equal(2, CollaborativeKnowledgeGraph.KgRelation(1));
        Assert.Equal((3 + 6) * 2, g.EdgeCount);

        Assert.Equal([0, 2], g.Neighbors(7).ToArray());          // user 0 → items 0, 2
        Assert.Equal([0, 0], g.RelationsOf(7).ToArray());
        // Item 0 → genre rock (3) by genre (1) and artist (2), artist entity 5 by artist, user 0 by ~interact (3).
        Assert.Equal([3, 3, 5, 7], g.Neighbors(0).ToArray());
        Assert.Equal([1, 2, 2, 3], g.RelationsOf(0).ToArray());
        Assert.Equal(0, g.Inverse(3));
    }

    [Fact]
    public void Without_inverse_only_forward_edges()
    {
        var train = InteractionMatrix.From([0], [1], 1, 3);
        var ckg = CollaborativeKnowledgeGraph.Build(train, KnowledgeGraphTests.Tiny(), addInverse: false);
        Assert.Equal(3, ckg.Graph.NumRelations);
        Assert.Equal(1 + 6, ckg.Graph.EdgeCount);
        Assert.True(ckg.Graph.Neighbors(1).ToArray().All(t => t != 7));
    }

    [Fact]
    public void Kg_must_cover_items()
    {
        var train = InteractionMatrix.From([0], [1], 1, 8);
        Assert.Throws<InvalidDataException>(() => CollaborativeKnowledgeGraph.Build(train, KnowledgeGraphTests.Tiny()));
    }
}
