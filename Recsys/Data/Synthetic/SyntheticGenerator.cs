using System.Globalization;

namespace Recsys.Data.Synthetic;

/// <summary>
/// Seeded generator of implicit-feedback datasets with planted structure (used by <c>recsys quickstart</c>,
/// <c>recsys generate</c> and tests). Each user belongs to a latent community and draws distinct items mostly from
/// its community's items, whose popularity follows a power law, and with probability NoiseFraction from another
/// community. Each user's interactions are split at random into test / validation / train. The same options give
/// identical arrays on the same runtime.
/// </summary>
public static class SyntheticGenerator
{
    private const long BaseTimestamp = 1_700_000_000L; // Unix seconds (Nov 2023); one hour between a user's interactions.

    /// <summary>Generates the dataset of <paramref name="options"/>.</summary>
    public static Dataset Generate(SyntheticOptions options) => GenerateWithTruth(options).Dataset;

    /// <summary>Generates the dataset together with the user and item communities behind it.</summary>
    public static SyntheticData GenerateWithTruth(SyntheticOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var o = options;
        var rng = new SyntheticRandom(o.Seed);
        int c = o.Communities;

        // Items: a random permutation dealt round-robin to communities; the order within a community is its popularity rank.
        var perm = Enumerable.Range(0, o.Items).ToArray();
        rng.Shuffle<int>(perm);
        var itemCommunity = new int[o.Items];
        var members = new List<int>[c];
        for (int k = 0; k < c; k++) members[k] = new List<int>();
        for (int k = 0; k < perm.Length; k++) { itemCommunity[perm[k]] = k % c; members[k % c].Add(perm[k]); }

        // KG-only ("cold") items: a random subset of each community, never drawn for train or validation.
        var isCold = new bool[o.Items];
        var warm = new PowerLawSampler[c];
        var cold = new PowerLawSampler[c];
        for (int k = 0; k < c; k++)
        {
            var m = members[k];
            int nCold = o.KgOnlyFraction > 0 ? Math.Clamp((int)Math.Round(m.Count * o.KgOnlyFraction), 1, m.Count - 2) : 0;
            var pick = Enumerable.Range(0, m.Count).ToArray();
            rng.Shuffle<int>(pick);
            for (int j = 0; j < nCold; j++) isCold[m[pick[j]]] = true;
            warm[k] = new PowerLawSampler(m.Where(i => !isCold[i]).ToArray(), o.PopularityExponent);
            cold[k] = new PowerLawSampler(m.Where(i => isCold[i]).ToArray(), o.PopularityExponent);
        }

        var userCommunity = new int[o.Users];
        for (int u = 0; u < o.Users; u++) userCommunity[u] = rng.Next(c);

        var train = new SplitBuilder(); var valid = new SplitBuilder(); var test = new SplitBuilder();
        var mark = new int[o.Items]; // mark[i] == u + 1 ⇔ user u already has item i
        double sigma = o.InteractionSpread, mu = Math.Log(o.InteractionsPerUser) - sigma * sigma / 2;
        var chosen = new List<int>();
        var order = new List<int>();
        for (int u = 0; u < o.Users; u++)
        {
            int home = userCommunity[u];
            int n = (int)Math.Round(Math.Exp(mu + sigma * rng.NextGaussian()));
            n = Math.Min(Math.Max(n, o.MinInteractionsPerUser), warm[home].Count);
            chosen.Clear();
            DrawDistinct(rng, u, n, home, o.NoiseFraction, warm, mark, chosen);

            // Per-user split: random positions go to test, then to validation; the rest is train.
            int nTest = o.TestRatio > 0 ? Math.Clamp(rng.RoundStochastic(n * o.TestRatio), 1, n - 1) : 0;
            int rest = n - nTest;
            int nValid = o.ValidRatio > 0 ? Math.Clamp(rng.RoundStochastic(rest * o.ValidRatio), 0, rest - 1) : 0;
            order.Clear();
            for (int k = 0; k < n; k++) order.Add(k);
            rng.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(order));
            var role = new byte[n]; // 0 train, 1 valid, 2 test
            for (int k = 0; k < nTest; k++) role[order[k]] = 2;
            for (int k = nTest; k < nTest + nValid; k++) role[order[k]] = 1;
            for (int k = 0; k < n; k++)
                (role[k] switch { 2 => test, 1 => valid, _ => train }).Add(u, chosen[k], BaseTimestamp + 3600L * k);

            // KG-only test items: sized so they make up KgOnlyFraction of all test interactions.
            if (o.KgOnlyFraction > 0 && cold[home].Count > 0)
            {
                int kc = Math.Min(cold[home].Count, rng.RoundStochastic(nTest * o.KgOnlyFraction / (1 - o.KgOnlyFraction)));
                chosen.Clear();
                DrawDistinct(rng, u, kc, home, noise: 0, cold, mark, chosen);
                for (int k = 0; k < chosen.Count; k++) test.Add(u, chosen[k], BaseTimestamp + 3600L * (n + k));
            }
        }

        // Its own random stream: asking for attributes, the graph, or both draws the same graph.
        KnowledgeTriples? graph = o.WithKnowledgeGraph || o.WithAttributes
            ? SyntheticKnowledgeGraph.Build(new SyntheticRandom(o.Seed ^ 0x5EED_0F_C0FFEEL), o, itemCommunity, isCold)
            : null;
        var dataset = new Dataset
        {
            Name = o.Name,
            NumUsers = o.Users,
            NumItems = o.Items,
            Train = train.Build(),
            Valid = o.ValidRatio > 0 ? valid.Build() : null,
            Test = test.Build(),
            Knowledge = o.WithKnowledgeGraph ? graph : null,
            Attributes = o.WithAttributes ? SyntheticKnowledgeGraph.Attributes(graph!, o.Items) : null,
            Provenance = Provenance(o),
        };
        var coldIds = Enumerable.Range(0, o.Items).Where(i => isCold[i]).ToArray();
        return new SyntheticData(dataset, userCommunity, itemCommunity, coldIds);
    }

    /// <summary>
    /// Appends <paramref name="n"/> items new to user <paramref name="u"/>. Each slot first picks its source — the
    /// user's community, or with probability <paramref name="noise"/> another one — and then redraws inside that source
    /// until the item is new, so duplicates rejected under power-law skew do not shift the noise share. After 20 draws
    /// a slot takes the source's most popular unused item (the home community always has one: n ≤ its size).
    /// </summary>
    private static void DrawDistinct(SyntheticRandom rng, int u, int n, int home, double noise,
        PowerLawSampler[] samplers, int[] mark, List<int> chosen)
    {
        int c = samplers.Length, stamp = u + 1;
        for (int slot = 0; slot < n; slot++)
        {
            int from = c > 1 && noise > 0 && rng.NextDouble() < noise ? (home + 1 + rng.Next(c - 1)) % c : home;
            int item = -1;
            for (int attempt = 0; attempt < 20 && item < 0; attempt++)
            {
                int x = samplers[from].Sample(rng);
                if (mark[x] != stamp) item = x;
            }
            if (item < 0) item = FirstUnused(samplers[from].Items, mark, stamp);
            if (item < 0) item = FirstUnused(samplers[home].Items, mark, stamp);
            mark[item] = stamp;
            chosen.Add(item);
        }
    }

    private static int FirstUnused(int[] itemsByRank, int[] mark, int stamp)
    {
        foreach (var i in itemsByRank)
            if (mark[i] != stamp) return i;
        return -1;
    }

    private static Dictionary<string, string> Provenance(SyntheticOptions o)
    {
        string F(double x) => x.ToString("R", CultureInfo.InvariantCulture);
        return new Dictionary<string, string>
        {
            ["generator"] = "recsys synthetic v1",
            ["seed"] = o.Seed.ToString(CultureInfo.InvariantCulture),
            ["communities"] = o.Communities.ToString(CultureInfo.InvariantCulture),
            ["interactions_per_user"] = F(o.InteractionsPerUser),
            ["interaction_spread"] = F(o.InteractionSpread),
            ["min_interactions_per_user"] = o.MinInteractionsPerUser.ToString(CultureInfo.InvariantCulture),
            ["popularity_exponent"] = F(o.PopularityExponent),
            ["noise_fraction"] = F(o.NoiseFraction),
            ["test_ratio"] = F(o.TestRatio),
            ["valid_ratio"] = F(o.ValidRatio),
            ["knowledge_graph"] = o.WithKnowledgeGraph ? "true" : "false",
            ["kg_only_fraction"] = F(o.KgOnlyFraction),
            ["artist_group_size"] = o.ArtistGroupSize.ToString(CultureInfo.InvariantCulture),
            ["kg_noise_fraction"] = F(o.KgNoiseFraction),
        };
    }

    /// <summary>Growable columns of one split.</summary>
    private sealed class SplitBuilder
    {
        private readonly List<int> _users = new();
        private readonly List<int> _items = new();
        private readonly List<long> _times = new();

        public void Add(int user, int item, long time) { _users.Add(user); _items.Add(item); _times.Add(time); }

        public Interactions Build() => new(_users.ToArray(), _items.ToArray(), _times.ToArray());
    }
}
