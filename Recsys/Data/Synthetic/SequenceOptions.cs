namespace Recsys.Data.Synthetic;

/// <summary>
/// Settings of <see cref="SequenceGenerator"/>: users walking through item sequences with a planted order, items with
/// a brand and a category, split leave-one-out. Defaults make a quickstart-sized set (1,000 users, 600 items, ~12
/// interactions each) on which order-aware models beat order-blind ones, built in milliseconds.
/// </summary>
public sealed record SequenceOptions
{
    public string Name { get; init; } = "synthetic-sequences";
    public int Users { get; init; } = 1000;
    public int Items { get; init; } = 600;
    /// <summary>Brands; each item belongs to one (near-equal sizes), each user prefers one.</summary>
    public int Brands { get; init; } = 12;
    /// <summary>Categories, crossed with brands: item i has category i mod Categories.</summary>
    public int Categories { get; init; } = 5;
    /// <summary>Mean sequence length; lengths are uniform in [MinLength, 2·Mean − MinLength].</summary>
    public int MeanLength { get; init; } = 12;
    /// <summary>Shortest sequence (3 = one train, one validation and one test item).</summary>
    public int MinLength { get; init; } = 4;
    /// <summary>Probability that the next item is the current item's planted successor (the sequential signal).</summary>
    public double FollowProbability { get; init; } = 0.6;
    /// <summary>Probability that the next item comes from another brand than the user's (uniform over items).</summary>
    public double NoiseFraction { get; init; } = 0.1;
    /// <summary>Zipf exponent of item popularity inside a brand when a step does not follow the planted order.</summary>
    public double PopularityExponent { get; init; } = 0.8;
    public int Seed { get; init; } = 42;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first bad option.</summary>
    public SequenceOptions Validate()
    {
        if (string.IsNullOrWhiteSpace(Name)) throw new ArgumentOutOfRangeException(nameof(Name), "must not be empty.");
        if (Users < 1) throw new ArgumentOutOfRangeException(nameof(Users), Users, "must be at least 1.");
        if (Brands < 1) throw new ArgumentOutOfRangeException(nameof(Brands), Brands, "must be at least 1.");
        if (Categories < 1) throw new ArgumentOutOfRangeException(nameof(Categories), Categories, "must be at least 1.");
        if (Items < 2 * Brands) throw new ArgumentOutOfRangeException(nameof(Items), Items, $"must be at least 2 per brand ({2 * Brands}).");
        if (MinLength < 3) throw new ArgumentOutOfRangeException(nameof(MinLength), MinLength, "must be at least 3 (train, validation and test items).");
        if (MeanLength < MinLength || MeanLength > 10_000) throw new ArgumentOutOfRangeException(nameof(MeanLength), MeanLength, $"must be in {MinLength}..10000.");
        if (!(FollowProbability >= 0 && FollowProbability <= 1)) throw new ArgumentOutOfRangeException(nameof(FollowProbability), FollowProbability, "must be in [0, 1].");
        if (!(NoiseFraction >= 0 && NoiseFraction <= 1)) throw new ArgumentOutOfRangeException(nameof(NoiseFraction), NoiseFraction, "must be in [0, 1].");
        if (!(FollowProbability + NoiseFraction <= 1)) throw new ArgumentOutOfRangeException(nameof(NoiseFraction), NoiseFraction, "FollowProbability + NoiseFraction must not exceed 1.");
        if (!(PopularityExponent >= 0 && PopularityExponent <= 5)) throw new ArgumentOutOfRangeException(nameof(PopularityExponent), PopularityExponent, "must be in [0, 5].");
        return this;
    }
}
