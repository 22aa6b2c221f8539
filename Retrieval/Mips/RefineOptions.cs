namespace Recsys.Retrieval.Mips;

/// <summary>Options of <see cref="RefineIndex"/>.</summary>
public sealed record RefineOptions
{
    /// <summary>
    /// Candidates the first pass returns per query, as a multiple of k: ⌈k·OverFetch⌉, capped at the item count. The
    /// exact second stage picks the top k among them; larger values raise recall and cost re-rank work.
    /// </summary>
    public double OverFetch { get; init; } = 1.25;

    public void Validate()
    {
        if (!(OverFetch >= 1) || double.IsInfinity(OverFetch)) throw new ArgumentOutOfRangeException(nameof(OverFetch), OverFetch, "must be a finite number ≥ 1.");
    }

    /// <summary>⌈k·OverFetch⌉ capped at <paramref name="count"/>.</summary>
    // The small slack keeps binary fractions from rounding up a whole candidate (50 · 1.1 = 55.00000000000001).
    internal int CandidatesFor(int k, int count) => (int)Math.Min((long)Math.Ceiling(k * OverFetch - 1e-9), count);
}
