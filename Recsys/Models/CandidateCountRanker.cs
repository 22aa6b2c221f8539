namespace Recsys.Models;

/// <summary>
/// A second stage served with a different candidate count N than the one it was built with (the N ablation, or a
/// cheaper serving point): the first stage retrieves <see cref="Candidates"/> items and the wrapped ranker scores
/// them unchanged. Exact because a ranker's score for a candidate never depends on the other candidates
/// (<see cref="ICandidateRanker"/>'s contract), so only the list it scores changes. The wrapper does not own the ranker.
/// </summary>
public sealed class CandidateCountRanker : ICandidateRanker
{
    private readonly ICandidateRanker _inner;

    /// <exception cref="ArgumentOutOfRangeException"><paramref name="candidates"/> is below 1.</exception>
    public CandidateCountRanker(ICandidateRanker inner, int candidates)
    {
        ArgumentNullException.ThrowIfNull(inner);
        if (candidates < 1) throw new ArgumentOutOfRangeException(nameof(candidates), candidates, "must be ≥ 1.");
        _inner = inner;
        Candidates = candidates;
    }

    public int Candidates { get; }

    public float[] Score(int user, ReadOnlySpan<int> history, ReadOnlySpan<int> candidates) => _inner.Score(user, history, candidates);

    public float[][] ScoreBatch(IReadOnlyList<int> users, IReadOnlyList<int[]> histories, IReadOnlyList<int[]> candidates) =>
        _inner.ScoreBatch(users, histories, candidates);

    public float[][] ScoreBatch(IReadOnlyList<int> users, IReadOnlyList<int[]> histories, IReadOnlyList<int[]> candidates, IReadOnlyList<float[]> firstStage) =>
        _inner.ScoreBatch(users, histories, candidates, firstStage);

    public float[] Score(int user, ReadOnlySpan<int> history, ReadOnlySpan<int> candidates, ReadOnlySpan<float> firstStage) =>
        _inner.Score(user, history, candidates, firstStage);
}
