using Recsys.Data.Splits;

namespace Recsys.Data.Synthetic;

/// <summary>
/// Synthetic sequential data: each brand's items form a planted cycle (item → its successor), and a user of brand b
/// walks it — each next item is the current one's successor with <see cref="SequenceOptions.FollowProbability"/>, an
/// item of another brand with <see cref="SequenceOptions.NoiseFraction"/>, else a popularity-weighted item of brand b.
/// Interactions carry increasing timestamps; the split is leave-one-out with a validation item (the sequential
/// protocol). Items have two attributes, "brand-B" and "category-C". The same seed gives the same data.
/// </summary>
public static class SequenceGenerator
{
    public static Dataset Generate(SequenceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var o = options.Validate();
        var rng = new SyntheticRandom(o.Seed);
        int brandOf(int item) => item % o.Brands;
        // Items of brand b, in a random order that is both the planted cycle and the popularity ranking.
        var members = Enumerable.Range(0, o.Brands).Select(b => Enumerable.Range(0, o.Items).Where(i => brandOf(i) == b).ToArray()).ToArray();
        foreach (var m in members) Shuffle(m, rng);
        var successor = new int[o.Items];
        foreach (var m in members)
            for (int j = 0; j < m.Length; j++) successor[m[j]] = m[(j + 1) % m.Length];
        var popular = members.Select(m => new PowerLawSampler(m, o.PopularityExponent)).ToArray();

        var users = new List<int>(); var items = new List<int>(); var times = new List<long>();
        int maxLength = 2 * o.MeanLength - o.MinLength;
        for (int u = 0; u < o.Users; u++)
        {
            int brand = rng.Next(o.Brands);
            int length = o.MinLength + rng.Next(maxLength - o.MinLength + 1);
            int current = popular[brand].Sample(rng);
            var seen = new HashSet<int>();
            for (int t = 0, guard = 0; t < length && guard < 50 * length; guard++)
            {
                if (seen.Add(current))
                {
                    users.Add(u); items.Add(current); times.Add(1_000_000L * u + t);
                    t++;
                }
                double x = rng.NextDouble();
                current = x < o.FollowProbability ? successor[current]
                    : x < o.FollowProbability + o.NoiseFraction ? rng.Next(o.Items)
                    : popular[brand].Sample(rng);
            }
        }

        var attrItems = new int[2 * o.Items]; var attrIds = new int[2 * o.Items];
        for (int i = 0; i < o.Items; i++)
        {
            attrItems[2 * i] = i; attrIds[2 * i] = brandOf(i);
            attrItems[2 * i + 1] = i; attrIds[2 * i + 1] = o.Brands + i % o.Categories;
        }
        var names = Enumerable.Range(0, o.Brands).Select(b => $"brand-{b}").Concat(Enumerable.Range(0, o.Categories).Select(c => $"category-{c}")).ToArray();
        var all = new Interactions([.. users], [.. items], [.. times]);
        var whole = new Dataset
        {
            Name = o.Name, NumUsers = o.Users, NumItems = o.Items, Train = all, Test = new Interactions([], [], []),
            Attributes = new ItemAttributes(attrItems, attrIds, names),
            Provenance = new Dictionary<string, string>
            {
                ["generator"] = "synthetic-sequences", ["seed"] = o.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["follow"] = o.FollowProbability.ToString(System.Globalization.CultureInfo.InvariantCulture),
            },
        };
        return DatasetSplit.Apply(whole, new LeaveOneOutSplit(new LeaveOneOutOptions { HoldOutValid = true }));
    }

    private static void Shuffle(int[] a, SyntheticRandom rng)
    {
        for (int i = a.Length - 1; i > 0; i--)
        {
            int j = rng.Next(i + 1);
            (a[i], a[j]) = (a[j], a[i]);
        }
    }
}
