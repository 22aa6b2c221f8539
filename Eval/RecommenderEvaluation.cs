using Recsys.Retrieval.Recommenders;

namespace Recsys.Eval;

/// <summary>Full-ranking evaluation of a <see cref="FittedRecommender"/>: the entry point evaluation, quickstart and validation share.</summary>
public static class RecommenderEvaluation
{
    /// <summary>
    /// Evaluates <paramref name="recommender"/> with the evaluator's exclusions: user rows (or encoded histories) as
    /// queries through the recommender's index, and — when the model has a second stage — its ranker over the
    /// candidates; a generative model (<see cref="Models.IItemGenerator"/>) through its generated lists.
    /// </summary>
    public static EvaluationResult Evaluate(this FullRankingEvaluator evaluator, FittedRecommender recommender,
        IProgress<EvaluationProgress>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(recommender);
        if (recommender.Snapshot.Ranker is not null || recommender.Snapshot.Generator is not null) return evaluator.Evaluate(Lists(evaluator, recommender, cancellation), cancellation);
        var users = recommender.NumUsers == evaluator.NumUsers
            ? recommender.Snapshot.Embeddings.Users
            : recommender.UserQueries(Enumerable.Range(0, evaluator.NumUsers).ToArray());
        return evaluator.Evaluate(recommender.Index, users, progress, cancellation);
    }

    /// <summary>
    /// The recommender's final top-max(K) lists (first stage, then its ranker) for every evaluated user, searched in
    /// blocks with the evaluator's own exclusions, as <see cref="CandidateLists"/>.
    /// </summary>
    public static CandidateLists Lists(FullRankingEvaluator evaluator, FittedRecommender recommender, CancellationToken cancellation = default)
    {
        var users = evaluator.Users.ToArray();
        int k = evaluator.ListLength, block = evaluator.Options.BlockSize;
        var ids = new int[(long)users.Length * k];
        for (int b0 = 0; b0 < users.Length; b0 += block)
        {
            cancellation.ThrowIfCancellationRequested();
            int n = Math.Min(block, users.Length - b0);
            var top = recommender.Search(users.AsSpan(b0, n), k, evaluator.UserExclusions.Slice(b0, n));
            top.Ids.CopyTo(ids.AsSpan(b0 * k, n * k));
        }
        return new CandidateLists(users, k, ids);
    }
}
