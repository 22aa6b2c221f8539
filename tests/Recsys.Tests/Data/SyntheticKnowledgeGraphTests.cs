using Recsys.Data;
using Recsys.Data.Synthetic;
using Recsys.Graphs;

namespace Recsys.Tests.Data;

public class SyntheticKnowledgeGraphTests
{
    private static readonly SyntheticOptions Opts = new()
    {
        Users = 600, Items = 320, Communities = 4, Seed = 3, WithKnowledgeGraph = true, KgOnlyFraction = 0.25,
    };

    [Fact]
    public void Attributes_are_each_items_genre_and_artist_of_the_same_draws_with_or_without_the_graph()
    {
        var o = Opts with { KgOnlyFraction = 0 };
        var withKg = SyntheticGenerator.GenerateWithTruth(o with { WithAttributes = true });
        var noKg = SyntheticGenerator.GenerateWithTruth(o with { WithKnowledgeGraph = false, WithAttributes = true });
        var kg = withKg.Dataset.Knowledge!;
        var at = withKg.Dataset.Attributes!;
        Assert.Null(noKg.Dataset.Knowledge);
        Assert.Equal(at.Items, noKg.Dataset.Attributes!.Items);
        Assert.Equal(at.Attributes, noKg.Dataset.Attributes.Attributes);
        Assert.Equal(withKg.Dataset.Train.Items, noKg.Dataset.Train.Items);
        Assert.Null(SyntheticGenerator.Generate(o).Attributes);

        // Every item: exactly one genre-* and one artist-* attribute, naming the entity its KG triple points at.
        var genreOf = new int[o.Items]; var artistOf = new int[o.Items];
        for (int k = 0; k < kg.Count; k++)
            if (kg.Heads[k] < o.Items && kg.Relations[k] == 0) genreOf[kg.Heads[k]] = kg.Tails[k] - o.Items;
            else if (kg.Heads[k] < o.Items && kg.Relations[k] == 1) artistOf[kg.Heads[k]] = kg.Tails[k];
        var sameArtist = new Dictionary<int, int>(); // attribute id → the artist entity it names
        Assert.Equal(2 * o.Items, at.Count);
        for (int r = 0; r < at.Count; r++)
        {
            int item = at.Items[r];
            string name = at.Names[at.Attributes[r]];
            if (name.StartsWith("genre-", StringComparison.Ordinal)) Assert.Equal($"genre-{genreOf[item]}", name);
            else
            {
                Assert.StartsWith("artist-", name);
                if (sameArtist.TryGetValue(at.Attributes[r], out int entity)) Assert.Equal(entity, artistOf[item]);
                else sameArtist[at.Attributes[r]] = artistOf[item];
            }
        }
        Assert.Equal(sameArtist.Count, sameArtist.Values.Distinct().Count()); // one attribute per artist entity
    }

    [Fact]
    public void Kg_follows_the_communities()
    {
        var t = SyntheticGenerator.GenerateWithTruth(Opts with { KgOnlyFraction = 0 });
        var kg = t.Dataset.Knowledge!;
        Assert.Equal(["genre", "artist", "tag", "artist_genre"], kg.RelationNames);
        Assert.True(kg.NumEntities > Opts.Items + Opts.Communities);
        Assert.Empty(t.KgOnlyItems);
        int right = 0, genres = 0;
        var itemsPerArtist = new Dictionary<int, List<int>>();
        for (int k = 0; k < kg.Count; k++)
        {
            Assert.InRange(kg.Heads[k], 0, kg.NumEntities - 1);
            Assert.InRange(kg.Tails[k], 0, kg.NumEntities - 1);
            if (kg.Relations[k] == 0)
            {
                genres++;
                if (kg.Tails[k] - Opts.Items == t.ItemCommunities[kg.Heads[k]]) right++;
            }
            if (kg.Relations[k] == 1)
            {
                if (!itemsPerArtist.TryGetValue(kg.Tails[k], out var l)) itemsPerArtist[kg.Tails[k]] = l = new();
                l.Add(kg.Heads[k]);
            }
        }
        Assert.Equal(Opts.Items, genres);                          // one genre per item
        Assert.InRange(right / (double)genres, 0.9, 0.99);         // 5% KG noise
        Assert.All(itemsPerArtist.Values, items =>                 // an artist's items share a community
            Assert.Single(items.Select(i => t.ItemCommunities[i]).Distinct()));
        Assert.All(itemsPerArtist.Values, items => Assert.InRange(items.Count, 1, Opts.ArtistGroupSize));
    }

    [Fact]
    public void Kg_only_items_appear_only_in_test_and_are_linked_to_their_community()
    {
        var t = SyntheticGenerator.GenerateWithTruth(Opts);
        var d = t.Dataset;
        var cold = t.KgOnlyItems.ToHashSet();
        Assert.NotEmpty(cold);
        Assert.DoesNotContain(d.Train.Items, cold.Contains);
        Assert.DoesNotContain(d.Valid!.Items, cold.Contains);
        int coldTest = 0;
        for (int k = 0; k < d.Test.Count; k++)
            if (cold.Contains(d.Test.Items[k]))
            {
                coldTest++;
                Assert.Equal(t.UserCommunities[d.Test.Users[k]], t.ItemCommunities[d.Test.Items[k]]);
            }
        Assert.InRange(coldTest / (double)d.Test.Count, 0.21, 0.29);

        // Two hops in the KG (item → genre/artist → item) reach warm items of the same community, which the users
        // of that community have in training.
        var g = KnowledgeGraph.Build(d.Knowledge!, addInverse: true);
        var trainItems = d.Train.Items.ToHashSet();
        foreach (var i in cold)
        {
            var viaArtist = new HashSet<int>();
            var tails = g.Neighbors(i); var rels = g.RelationsOf(i);
            for (int k = 0; k < tails.Length; k++)
            {
                if (rels[k] == 0) Assert.Equal(Opts.Items + t.ItemCommunities[i], tails[k]); // true genre
                if (rels[k] != 1) continue;
                foreach (var j in g.Neighbors(tails[k])) if (j != i && j < Opts.Items) viaArtist.Add(j);
            }
            Assert.Contains(viaArtist, j => trainItems.Contains(j) && t.ItemCommunities[j] == t.ItemCommunities[i]);
        }
    }
}
