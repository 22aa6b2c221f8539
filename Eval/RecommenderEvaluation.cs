using Recsys.Retrieval.Recommenders;

namespace Recsys.Eval;

/// <summary>Full-ranking evaluation of a <see cref="FittedRecommender"/>: the entry point evaluation, quickstart and validation share.</summary>
public static class RecommenderEvaluation
{
    /// <summary>
    /// Evaluates <paramref name="recommender"/> with the evaluator's exclusions: user rows (or encoded histories) as
    /// queries through the recommender's index, and — when the model has a second stage — its ranker over the
    /// candidates.
    /// </summary>
    public static EvaluationResult Evaluate(this FullRankingEvaluator evaluator, FittedRecommender recommender,
        IProgress<EvaluationProgress>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(recommender);
        if (recommender.Snapshot.Ranker is { } ranker)
            return evaluator.Evaluate(new RankedCandidates(recommender, ranker), progress, cancellation);
        var users = recommender.NumUsers == evaluator.NumUsers
            ? recommender.Snapshot.Embeddings.Users
            : recommender.UserQueries(Enumerable.Range(0, evaluator.NumUsers).ToArray());
        return evaluator.Evaluate(recommender.Index, users, progress, cancellation);
    }

    /// <summary>
    /// A two-stage model as dense score rows: the ranker's scores on the first stage's candidates (the user's seen
    /// items excluded), −∞ elsewhere; the evaluator then masks its split's exclusions and keeps the top K.
    /// </summary>
    private sealed class RankedCandidates(FittedRecommender recommender, Models.ICandidateRanker ranker) : IUserScorer
    {
        public int NumItems => recommender.NumItems;

        public void Score(ReadOnlySpan<int> users, Span<float> scores)
        {
            scores.Fill(float.NegativeInfinity);
            var top = recommender.Search(users, Math.Min(ranker.Candidates, NumItems));
            for (int q = 0; q < users.Length; q++)
            {
                var row = scores.Slice(q * NumItems, NumItems);
                var ids = top.IdsOf(q);
                var s = top.ScoresOf(q);
                for (int r = 0; r < ids.Length && ids[r] >= 0; r++) row[ids[r]] = s[r];
            }
        }
    }
}
