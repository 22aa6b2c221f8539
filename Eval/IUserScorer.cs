namespace Recsys.Eval;

/// <summary>
/// A model that is not a pair of embedding matrices (e.g. item-KNN): it fills dense score rows for a block of
/// users. The <see cref="FullRankingEvaluator"/> masks seen items and keeps the top K itself, and asks for blocks
/// small enough that [users, NumItems] floats stay bounded. Embedding models go through an IMipsIndex instead.
/// </summary>
public interface IUserScorer
{
    /// <summary>Number of items scored per user (the width of a score row).</summary>
    int NumItems { get; }

    /// <summary>
    /// Writes the scores of every item for each user in <paramref name="users"/> into <paramref name="scores"/>,
    /// row-major [users.Length, NumItems] (higher = better). Must be safe to call from one thread at a time.
    /// </summary>
    void Score(ReadOnlySpan<int> users, Span<float> scores);
}
