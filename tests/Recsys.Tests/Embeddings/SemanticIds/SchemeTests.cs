using Recsys.Data;
using Recsys.Embeddings.SemanticIds;
using Recsys.Embeddings.SemanticIds.Schemes;

namespace Recsys.Tests.Embeddings.SemanticIds;

/// <summary>The collaborative and category-tree schemes on data small enough to know the answer.</summary>
public class SchemeTests
{
    [Fact]
    public void CollaborativeSplitsTwoDisjointCommunitiesAtTheFirstLevel()
    {
        // Items 0..5 are bought only by users 0..9, items 6..11 only by users 10..19 (each user buys 3 items of its group).
        var users = new List<int>(); var items = new List<int>();
        var rng = new Random(1);
        for (int u = 0; u < 20; u++)
        {
            int offset = u < 10 ? 0 : 6;
            foreach (int j in Enumerable.Range(0, 6).OrderBy(_ => rng.Next()).Take(3)) { users.Add(u); items.Add(offset + j); }
        }
        var train = InteractionMatrix.From(new Interactions([.. users], [.. items]), 20, 12);
        var input = new SemanticIndexInput(12) { Train = train };
        for (int seed = 0; seed < 3; seed++)
        {
            var c = new CollaborativeIndexer(new SemanticIndexSettings { Levels = 2, Codes = 2, Seed = seed }).Index(input).Codes;
            int left = c.Of(0)[0];
            for (int i = 0; i < 12; i++) Assert.Equal(i < 6 ? left : 1 - left, c.Of(i)[0]);
        }
    }

    [Fact]
    public void CategoryCodesFollowThePathNumberedAmongSiblings()
    {
        // Names: 0 Makeup, 1 Skin, 2 Lips, 3 Eyes, 4 Face. Items: 0 Makeup/Lips, 1 Makeup/Lips, 2 Makeup/Eyes, 3 Skin/Face, 4 none.
        var at = new ItemAttributes([0, 0, 1, 1, 2, 2, 3, 3], [0, 2, 0, 2, 0, 3, 1, 4], ["Makeup", "Skin", "Lips", "Eyes", "Face"]);
        var c = new CategoryIndexer(new SemanticIndexSettings { Levels = 2, Codes = 4 }).Index(new SemanticIndexInput(5) { Attributes = at }).Codes;
        // Level 1: Makeup (3 items) = 1, Skin (1) = 2; level 2 under Makeup: Lips (2) = 1, Eyes (1) = 2; under Skin: Face = 1.
        Assert.Equal(new[] { 1, 1, 0 }, c.Of(0).ToArray());
        Assert.Equal(new[] { 1, 1, 1 }, c.Of(1).ToArray());
        Assert.Equal(new[] { 1, 2, 0 }, c.Of(2).ToArray());
        Assert.Equal(new[] { 2, 1, 0 }, c.Of(3).ToArray());
        Assert.Equal(new[] { 0, 0, 0 }, c.Of(4).ToArray());
    }

    [Fact]
    public void CategoryFoldsSiblingsBeyondKMinusOne()
    {
        // Five top categories with K = 3: ranks 1..5 → codes 1, 2, 1, 2, 1.
        var at = new ItemAttributes([0, 1, 2, 3, 4], [0, 1, 2, 3, 4], ["a", "b", "c", "d", "e"]);
        var c = new CategoryIndexer(new SemanticIndexSettings { Levels = 1, Codes = 3 }).Index(new SemanticIndexInput(5) { Attributes = at }).Codes;
        Assert.Equal(new[] { 1, 2, 1, 2, 1 }, Enumerable.Range(0, 5).Select(i => c.Of(i)[0]).ToArray());
        Assert.Equal(3, c.Cardinalities[1]);   // three items share code 1
    }
}
