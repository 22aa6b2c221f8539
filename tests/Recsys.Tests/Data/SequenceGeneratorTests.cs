using Recsys.Data;
using Recsys.Data.Synthetic;

namespace Recsys.Tests.Data;

public sealed class SequenceGeneratorTests
{
    private static readonly SequenceOptions Small = new() { Users = 200, Items = 60, Brands = 3, Categories = 4, MeanLength = 8, MinLength = 4, Seed = 3 };

    [Fact]
    public void Is_leave_one_out_with_increasing_times_and_no_repeats()
    {
        var d = SequenceGenerator.Generate(Small);
        Assert.Equal(200, d.Test.Count);
        Assert.Equal(200, d.Valid!.Count);
        Assert.Equal(200 * 8 - 400, d.Train.Count, tolerance: 200); // mean length 8, two held out per user
        var all = Interactions.Concat(d.Train, d.Valid, d.Test);
        for (int u = 0; u < d.NumUsers; u++)
        {
            var rows = Enumerable.Range(0, all.Count).Where(r => all.Users[r] == u).ToArray();
            Assert.InRange(rows.Length, 4, 12);
            Assert.Equal(rows.Length, rows.Select(r => all.Items[r]).Distinct().Count());
            long test = d.Test.Timestamps![Array.IndexOf(d.Test.Users, u)], valid = d.Valid.Timestamps![Array.IndexOf(d.Valid.Users, u)];
            Assert.True(valid < test);
            Assert.All(Enumerable.Range(0, d.Train.Count).Where(r => d.Train.Users[r] == u), r => Assert.True(d.Train.Timestamps![r] < valid));
        }
    }

    [Fact]
    public void Items_carry_a_brand_and_a_category_and_users_follow_the_planted_order()
    {
        var d = SequenceGenerator.Generate(Small with { FollowProbability = 0.8, NoiseFraction = 0 });
        var at = d.Attributes!;
        Assert.Equal(2 * 60, at.Count);
        Assert.Equal(["brand-0", "category-3"], Enumerable.Range(0, at.Count).Where(r => at.Items[r] == 15).Select(r => at.Names[at.Attributes[r]]));
        // Each item's most frequent next item is its successor: most steps follow it, so the top pair takes a large share.
        var next = new Dictionary<(int, int), int>();
        var train = d.Train;
        for (int r = 1; r < train.Count; r++)
            if (train.Users[r] == train.Users[r - 1]) next[(train.Items[r - 1], train.Items[r])] = next.GetValueOrDefault((train.Items[r - 1], train.Items[r])) + 1;
        int steps = next.Values.Sum();
        int top = next.GroupBy(kv => kv.Key.Item1).Sum(g => g.Max(kv => kv.Value));
        Assert.True(top > 0.5 * steps, $"the most frequent successor covers {top} of {steps} steps");
        // With no noise every item of a user's sequence has the user's brand.
        for (int r = 1; r < train.Count; r++)
            if (train.Users[r] == train.Users[r - 1]) Assert.Equal(train.Items[r] % 3, train.Items[r - 1] % 3);
    }

    [Fact]
    public void The_same_seed_gives_the_same_data_and_bad_options_are_named()
    {
        var a = SequenceGenerator.Generate(Small);
        var b = SequenceGenerator.Generate(Small);
        Assert.Equal(a.Train.Items, b.Train.Items);
        Assert.Equal(a.Test.Items, b.Test.Items);
        Assert.NotEqual(a.Train.Items, SequenceGenerator.Generate(Small with { Seed = 4 }).Train.Items);
        Assert.Equal("MinLength", Assert.Throws<ArgumentOutOfRangeException>(() => SequenceGenerator.Generate(Small with { MinLength = 2 })).ParamName);
        Assert.Equal("NoiseFraction", Assert.Throws<ArgumentOutOfRangeException>(() => SequenceGenerator.Generate(Small with { FollowProbability = 0.7, NoiseFraction = 0.5 })).ParamName);
        Assert.Equal("Items", Assert.Throws<ArgumentOutOfRangeException>(() => SequenceGenerator.Generate(Small with { Items = 5 })).ParamName);
    }
}
