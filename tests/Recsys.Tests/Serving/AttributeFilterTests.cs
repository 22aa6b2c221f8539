using System.Net;
using System.Text;
using Recsys.Data;
using Recsys.Retrieval.Recommenders;
using Recsys.Serving;

namespace Recsys.Tests.Serving;

/// <summary>Attribute filters: only items carrying every named attribute come back, and names are checked.</summary>
[Collection(ServingCollection.Name)]
public sealed class AttributeFilterTests(ServingFixture f)
{
    // Items 0..79: even items are "red", items divisible by 3 are "big", item 5 is "odd-one".
    private static ItemAttributes Attributes()
    {
        var items = new List<int>(); var attrs = new List<int>();
        for (int i = 0; i < 80; i++)
        {
            if (i % 2 == 0) { items.Add(i); attrs.Add(0); }
            if (i % 3 == 0) { items.Add(i); attrs.Add(1); }
        }
        items.Add(5); attrs.Add(2);
        return new ItemAttributes([.. items], [.. attrs], ["red", "big", "odd-one"]);
    }

    private RecommendationService Service()
    {
        var recommender = RunFolderRecommender.Load(f.RunA, f.Data, Tc.Catalog);
        return new RecommendationService(new ServingSnapshot(recommender, "a", "mf", Popularity.Rank(f.Data.Train, f.Data.NumItems),
            attributes: ItemAttributeIndex.From(Attributes())));
    }

    [Fact]
    public void The_index_intersects_names_and_refuses_unknown_ones()
    {
        var index = ItemAttributeIndex.From(Attributes());
        Assert.Equal(3, index.Count);
        Assert.Equal(Enumerable.Range(0, 80).Where(i => i % 6 == 0), index.ItemsWithAll(["red", "big"]));
        Assert.Equal([5], index.ItemsWithAll(["odd-one"]));
        Assert.Empty(index.ItemsWithAll(["odd-one", "red"]));
        Assert.Contains("'blue'", Assert.Throws<ArgumentException>(() => index.ItemsWithAll(["red", "blue"])).Message);
        Assert.Throws<ArgumentException>(() => index.ItemsWithAll([]));
        Assert.Contains("no item attributes", Assert.Throws<ArgumentException>(() => ItemAttributeIndex.None.ItemsWithAll(["red"])).Message);
    }

    [Fact]
    public void Answers_are_the_exact_top_k_among_items_carrying_every_attribute()
    {
        using var service = Service();
        var recommender = RunFolderRecommender.Load(f.RunA, f.Data, Tc.Catalog);
        using (recommender)
            for (int u = 0; u < 10; u++)
            {
                var user = f.Data.UserRawIds is { } raw ? raw[u] : u.ToString();
                var answer = service.Recommend(new RecommendQuery { User = user, K = 5, Attributes = ["red", "big"] });
                var allowed = Enumerable.Range(0, 80).Where(i => i % 6 == 0).ToArray();
                var expected = recommender.Recommend(new RecommendRequest { User = u, K = 5, Allow = allowed });
                Assert.Equal(expected.Items.Select(recommender.Data.ItemName), answer.Items.Select(i => i.Item));
                Assert.All(answer.Items, i => Assert.Equal(0, int.Parse(i.Item) % 6));
            }
    }

    [Fact]
    public void Attribute_filters_combine_with_allow_lists_and_apply_to_the_popularity_fallback()
    {
        using var service = Service();
        var both = service.Recommend(new RecommendQuery { User = "0", K = 10, Allow = ["4", "5", "6", "7"], Attributes = ["red"] });
        Assert.All(both.Items, i => Assert.Contains(i.Item, new[] { "4", "6" }));
        var cold = service.Recommend(new RecommendQuery { User = "no-such-user", K = 10, Attributes = ["big"] });
        Assert.Equal(RecommendationService.PopularityFallback, cold.Fallback);
        Assert.NotEmpty(cold.Items);
        Assert.All(cold.Items, i => Assert.Equal(0, int.Parse(i.Item) % 3));
    }

    [Fact]
    public async Task Over_http_an_unknown_attribute_is_a_400_naming_it()
    {
        await using var host = await f.StartAsync();
        var r = await host.Client.PostAsync("/v1/recommend", new StringContent("""{"user": "1", "k": 3, "attributes": ["blue"]}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        var body = await r.Content.ReadAsStringAsync();
        Assert.Contains("no item attributes", body); // the fixture's data has none
    }
}
