using Recsys.Data;
using Recsys.Data.Synthetic;

namespace Recsys.Tests.Data;

public class SyntheticGeneratorTests(Xunit.Abstractions.ITestOutputHelper log)
{
    private static readonly SyntheticOptions Small = new() { Users = 400, Items = 300, Communities = 6, Seed = 7 };

    private static void SameInteractions(Interactions? a, Interactions? b)
    {
        Assert.NotNull(a); Assert.NotNull(b);
        Assert.Equal(a.Users, b.Users);
        Assert.Equal(a.Items, b.Items);
        Assert.Equal(a.Timestamps, b.Timestamps);
    }

    [Fact]
    public void Same_seed_gives_identical_arrays_and_another_seed_does_not()
    {
        var o = Small with { WithKnowledgeGraph = true, KgOnlyFraction = 0.1 };
        var a = SyntheticGenerator.Generate(o);
        var b = SyntheticGenerator.Generate(o);
        SameInteractions(a.Train, b.Train);
        SameInteractions(a.Valid, b.Valid);
        SameInteractions(a.Test, b.Test);
        Assert.Equal(a.Knowledge!.Heads, b.Knowledge!.Heads);
        Assert.Equal(a.Knowledge.Relations, b.Knowledge.Relations);
        Assert.Equal(a.Knowledge.Tails, b.Knowledge.Tails);

        var c = SyntheticGenerator.Generate(o with { Seed = 8 });
        Assert.NotEqual(a.Train.Items, c.Train.Items);
    }

    [Fact]
    public void Knowledge_graph_does_not_change_the_interactions()
    {
        var plain = SyntheticGenerator.Generate(Small);
        var withKg = SyntheticGenerator.Generate(Small with { WithKnowledgeGraph = true });
        Assert.Null(plain.Knowledge);
        SameInteractions(plain.Train, withKg.Train);
        SameInteractions(plain.Test, withKg.Test);
    }

    [Fact]
    public void Defaults_have_the_advertised_shape()
    {
        var d = SyntheticGenerator.Generate(new SyntheticOptions());
        d.Validate();
        Assert.Equal(1000, d.NumUsers);
        Assert.Equal(800, d.NumItems);
        int total = d.Train.Count + d.Valid!.Count + d.Test.Count;
        Assert.InRange(total / 1000.0, 18, 22);                              // mean ~20 per user
        Assert.InRange(d.Test.Count / (double)total, 0.18, 0.22);            // test ratio 0.2
        Assert.InRange(d.Valid.Count / (double)(d.Train.Count + d.Valid.Count), 0.08, 0.12); // valid 0.1 of the rest

        var all = Interactions.Concat(d.Train, d.Valid, d.Test);
        var pairs = new HashSet<(int, int)>();
        for (int k = 0; k < all.Count; k++) Assert.True(pairs.Add((all.Users[k], all.Items[k])), "duplicate interaction");
        var perUser = new int[d.NumUsers];
        foreach (var u in all.Users) perUser[u]++;
        Assert.True(perUser.Min() >= 5);
        Assert.True(perUser.Max() > perUser.Min() + 10); // counts vary
        var trainUsers = d.Train.Users.ToHashSet();
        var testUsers = d.Test.Users.ToHashSet();
        Assert.Equal(d.NumUsers, trainUsers.Count);
        Assert.Equal(d.NumUsers, testUsers.Count);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.1)]
    [InlineData(0.3)]
    public void Noise_fraction_is_the_share_outside_the_users_community(double noise)
    {
        var t = SyntheticGenerator.GenerateWithTruth(Small with { NoiseFraction = noise, Users = 1000 });
        var all = Interactions.Concat(t.Dataset.Train, t.Dataset.Valid!, t.Dataset.Test);
        int outside = 0;
        for (int k = 0; k < all.Count; k++)
            if (t.UserCommunities[all.Users[k]] != t.ItemCommunities[all.Items[k]]) outside++;
        Assert.InRange(outside / (double)all.Count, noise - 0.02, noise + 0.02);
    }

    [Fact]
    public void Popularity_exponent_skews_item_degrees()
    {
        static double TopDecileShare(Dataset d)
        {
            var deg = new int[d.NumItems];
            foreach (var i in d.Train.Items) deg[i]++;
            var sorted = deg.OrderByDescending(x => x).ToArray();
            return sorted.Take(d.NumItems / 10).Sum() / (double)sorted.Sum();
        }
        // 200 items per community so a user's ~20 distinct draws do not flatten the power law.
        var o = Small with { Items = 1200 };
        double uniform = TopDecileShare(SyntheticGenerator.Generate(o with { PopularityExponent = 0 }));
        double mild = TopDecileShare(SyntheticGenerator.Generate(o with { PopularityExponent = 0.8 }));
        double skewed = TopDecileShare(SyntheticGenerator.Generate(o with { PopularityExponent = 1.2 }));
        log.WriteLine($"top-10% item share of train interactions: exponent 0 {uniform:F3}, 0.8 {mild:F3}, 1.2 {skewed:F3}");
        Assert.True(uniform is > 0.1 and < 0.22 && uniform < mild && mild < skewed && skewed > 0.4, $"top-10% shares {uniform} {mild} {skewed}");
    }

    /// <summary>Mean Recall@20 of a per-user score function, train items excluded.</summary>
    private static double Recall20(Dataset d, Func<int, int, double> score)
    {
        var train = InteractionMatrix.From(d.Train, d.NumUsers, d.NumItems);
        var test = InteractionMatrix.From(d.Test, d.NumUsers, d.NumItems);
        double sum = 0; int users = 0;
        var scores = new double[d.NumItems];
        var ids = new int[d.NumItems];
        for (int u = 0; u < d.NumUsers; u++)
        {
            if (test.UserDegree(u) == 0) continue;
            for (int i = 0; i < d.NumItems; i++) { scores[i] = train.Contains(u, i) ? double.NegativeInfinity : -score(u, i); ids[i] = i; }
            Array.Sort((double[])scores.Clone(), ids);
            int hits = 0;
            for (int k = 0; k < 20; k++) if (test.Contains(u, ids[k])) hits++;
            sum += hits / (double)test.UserDegree(u);
            users++;
        }
        return sum / users;
    }

    [Fact]
    public void Community_aware_oracle_beats_popularity_and_random()
    {
        var t = SyntheticGenerator.GenerateWithTruth(Small);
        var d = t.Dataset;
        int c = Small.Communities;
        var communityPop = new double[c, d.NumItems];
        var pop = new double[d.NumItems];
        for (int k = 0; k < d.Train.Count; k++)
        {
            communityPop[t.UserCommunities[d.Train.Users[k]], d.Train.Items[k]]++;
            pop[d.Train.Items[k]]++;
        }
        var rng = new Random(1);
        var noise = new double[d.NumItems * d.NumUsers];
        for (int k = 0; k < noise.Length; k++) noise[k] = rng.NextDouble();

        double oracle = Recall20(d, (u, i) => communityPop[t.UserCommunities[u], i]);
        double popular = Recall20(d, (_, i) => pop[i]);
        double random = Recall20(d, (u, i) => noise[u * d.NumItems + i]);
        log.WriteLine($"Recall@20: community oracle {oracle:F4}, popularity {popular:F4}, random {random:F4}");
        Assert.InRange(random, 0.02, 0.10);                     // ≈ 20 / 300 items
        Assert.True(oracle > 1.5 * popular, $"oracle {oracle:F3} vs popularity {popular:F3}");
        Assert.True(oracle > 4 * random, $"oracle {oracle:F3} vs random {random:F3}");
    }
}
