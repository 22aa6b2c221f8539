namespace Recsys.Embeddings.SemanticIds.RqKMeans;

/// <summary>Options of RQ-KMeans beyond the shared settings.</summary>
public sealed record RqKMeansOptions
{
    /// <summary>Most Lloyd steps per level (each level stops early once no assignment changes).</summary>
    public int Iterations { get; init; } = 25;

    public RqKMeansOptions Validate()
    {
        if (Iterations is < 0 or > 10_000) throw new ArgumentOutOfRangeException(nameof(Iterations), Iterations, "k-means iterations must be in 0..10,000.");
        return this;
    }
}
