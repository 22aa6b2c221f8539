namespace Recsys.Embeddings.SemanticIds;

/// <summary>
/// The settings every indexer shares: <see cref="Levels"/> semantic levels of <see cref="Codes"/> codes each, and the
/// seed of every random draw.
/// </summary>
public sealed record SemanticIndexSettings
{
    /// <summary>Semantic levels L (the disambiguation column comes on top), 1..16.</summary>
    public int Levels { get; init; } = 3;
    /// <summary>Codes per level K (codebook size), 2..65,536.</summary>
    public int Codes { get; init; } = 256;
    public int Seed { get; init; }

    /// <summary>
    /// Throws <see cref="ArgumentOutOfRangeException"/> naming the setting when it is out of range, or when a level has more
    /// codes than there are items: a codebook the items cannot fill (k-means needs K ≤ items; the schemes would leave
    /// codes that no item can take) is refused rather than silently shrunk.
    /// </summary>
    public SemanticIndexSettings Validate(int numItems)
    {
        if (Levels is < 1 or > 16) throw new ArgumentOutOfRangeException(nameof(Levels), Levels, "semantic levels must be in 1..16.");
        if (Codes is < 2 or > 65_536) throw new ArgumentOutOfRangeException(nameof(Codes), Codes, "codes per level must be in 2..65,536.");
        if (numItems < 1) throw new ArgumentOutOfRangeException(nameof(numItems), numItems, "the catalog has no items.");
        if (Codes > numItems)
            throw new ArgumentOutOfRangeException(nameof(Codes), Codes,
                $"{Codes} codes per level exceed the {numItems} items: a codebook must not have more codes than there are items to fill it.");
        return this;
    }
}
