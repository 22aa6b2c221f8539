namespace Recsys.Data.Synthetic;

/// <summary>
/// Settings of <see cref="SyntheticGenerator"/>: users with a latent community, items owned by communities with
/// power-law popularity inside each, a share of out-of-community noise, a per-user random split, and optionally an
/// item knowledge graph that follows the communities. Defaults make a quickstart-sized set (1,000 users, 800 items,
/// ~20,000 interactions) that builds in milliseconds.
/// </summary>
public sealed record SyntheticOptions
{
    /// <summary>Dataset name written to dataset.json.</summary>
    public string Name { get; init; } = "synthetic";
    public int Users { get; init; } = 1000;
    public int Items { get; init; } = 800;
    /// <summary>Latent communities; each user belongs to one, each item to one (near-equal sizes).</summary>
    public int Communities { get; init; } = 8;
    /// <summary>Mean interactions per user; counts are log-normal around it (σ = <see cref="InteractionSpread"/>).</summary>
    public double InteractionsPerUser { get; init; } = 20;
    /// <summary>σ of the log-normal count per user (0 = every user has the mean).</summary>
    public double InteractionSpread { get; init; } = 0.5;
    /// <summary>Fewest interactions per user (so every user keeps train and test items).</summary>
    public int MinInteractionsPerUser { get; init; } = 5;
    /// <summary>Zipf exponent a of item popularity inside a community: weight of rank r ∝ 1 / (r + 1)^a (0 = uniform).</summary>
    public double PopularityExponent { get; init; } = 0.8;
    /// <summary>Fraction of interactions drawn from another community than the user's.</summary>
    public double NoiseFraction { get; init; } = 0.1;
    /// <summary>Fraction of each user's interactions held out as test (at least one per user when &gt; 0).</summary>
    public double TestRatio { get; init; } = 0.2;
    /// <summary>Fraction of each user's remaining (training) interactions moved to validation; 0 = no validation split.</summary>
    public double ValidRatio { get; init; } = 0.1;
    public int Seed { get; init; } = 42;
    /// <summary>Also build an item knowledge graph (genre, artist, tag, artist_genre relations).</summary>
    public bool WithKnowledgeGraph { get; init; }
    /// <summary>
    /// Fraction of test interactions on "KG-only" items: items that never occur in train or validation but share genre
    /// and artist entities with the items of their community (what a KG-aware model such as KGAT can still rank).
    /// Needs <see cref="WithKnowledgeGraph"/>.
    /// </summary>
    public double KgOnlyFraction { get; init; }
    /// <summary>
    /// Also give items attributes (item_attributes.arrow): "genre-G" and "artist-A", the same genre (with its
    /// <see cref="KgNoiseFraction"/> of wrong ones) and artist group the knowledge graph links them to, as an importer of
    /// a catalog with categories and brands would. Whether the knowledge graph itself is attached is
    /// <see cref="WithKnowledgeGraph"/>'s choice; the draws are the same either way.
    /// </summary>
    public bool WithAttributes { get; init; }
    /// <summary>Items per artist entity.</summary>
    public int ArtistGroupSize { get; init; } = 4;
    /// <summary>Fraction of items whose genre triple points at a random wrong genre.</summary>
    public double KgNoiseFraction { get; init; } = 0.05;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first bad option.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Name)) throw new ArgumentOutOfRangeException(nameof(Name), "must not be empty.");
        if (Users < 1) throw new ArgumentOutOfRangeException(nameof(Users), Users, "must be at least 1.");
        if (Communities < 1) throw new ArgumentOutOfRangeException(nameof(Communities), Communities, "must be at least 1.");
        if (Items < 2 * Communities)
            throw new ArgumentOutOfRangeException(nameof(Items), Items, $"must be at least 2 per community ({2 * Communities}).");
        if (MinInteractionsPerUser < 2) throw new ArgumentOutOfRangeException(nameof(MinInteractionsPerUser), MinInteractionsPerUser, "must be at least 2 (one train, one test).");
        if (MinInteractionsPerUser > Items / Communities)
            throw new ArgumentOutOfRangeException(nameof(MinInteractionsPerUser), MinInteractionsPerUser, $"must not exceed the items per community ({Items / Communities}).");
        if (!(InteractionsPerUser >= MinInteractionsPerUser) || double.IsInfinity(InteractionsPerUser))
            throw new ArgumentOutOfRangeException(nameof(InteractionsPerUser), InteractionsPerUser, $"must be finite and at least MinInteractionsPerUser ({MinInteractionsPerUser}).");
        if (!(InteractionSpread >= 0 && InteractionSpread <= 3)) throw new ArgumentOutOfRangeException(nameof(InteractionSpread), InteractionSpread, "must be in [0, 3].");
        if (!(PopularityExponent >= 0 && PopularityExponent <= 5)) throw new ArgumentOutOfRangeException(nameof(PopularityExponent), PopularityExponent, "must be in [0, 5].");
        if (!(NoiseFraction >= 0 && NoiseFraction <= 1)) throw new ArgumentOutOfRangeException(nameof(NoiseFraction), NoiseFraction, "must be in [0, 1].");
        if (!(TestRatio >= 0 && TestRatio < 1)) throw new ArgumentOutOfRangeException(nameof(TestRatio), TestRatio, "must be in [0, 1).");
        if (!(ValidRatio >= 0 && ValidRatio < 1)) throw new ArgumentOutOfRangeException(nameof(ValidRatio), ValidRatio, "must be in [0, 1).");
        if (!(KgOnlyFraction >= 0 && KgOnlyFraction <= 0.9)) throw new ArgumentOutOfRangeException(nameof(KgOnlyFraction), KgOnlyFraction, "must be in [0, 0.9].");
        if (KgOnlyFraction > 0 && !WithKnowledgeGraph) throw new ArgumentOutOfRangeException(nameof(KgOnlyFraction), KgOnlyFraction, "needs WithKnowledgeGraph (KG-only items are reachable only through the KG).");
        if (KgOnlyFraction > 0 && TestRatio == 0) throw new ArgumentOutOfRangeException(nameof(KgOnlyFraction), KgOnlyFraction, "needs TestRatio > 0 (KG-only items occur only in test).");
        if (ArtistGroupSize < 1) throw new ArgumentOutOfRangeException(nameof(ArtistGroupSize), ArtistGroupSize, "must be at least 1.");
        if (!(KgNoiseFraction >= 0 && KgNoiseFraction <= 1)) throw new ArgumentOutOfRangeException(nameof(KgNoiseFraction), KgNoiseFraction, "must be in [0, 1].");
    }
}
