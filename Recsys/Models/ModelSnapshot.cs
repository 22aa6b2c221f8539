namespace Recsys.Models;

/// <summary>
/// What a trained model hands to evaluation, export and serving, with no TorchSharp tensor inside: item vectors and
/// either user vectors (<see cref="ModelEmbeddings.Users"/>; empty for a model without per-user rows) or a
/// <see cref="IUserEncoder"/> that turns a history into a query vector, plus an optional second-stage
/// <see cref="ICandidateRanker"/>. Retrieval's fitted recommender serves it; score(q, i) = q · items[i]. A snapshot
/// outlives the model it came from: an encoder or ranker keeps its own copy of what it needs.
/// </summary>
public sealed record ModelSnapshot(ModelEmbeddings Embeddings)
{
    /// <summary>Encodes histories into query vectors of width <see cref="ModelEmbeddings.Dim"/>; null for models with user rows only.</summary>
    public IUserEncoder? Encoder { get; init; }

    /// <summary>Re-scores the first stage's candidates; null when the dot product is the final score.</summary>
    public ICandidateRanker? Ranker { get; init; }

    /// <summary>A generative model's first stage (TIGER): when set, recommendations are its generated items, not an index search.</summary>
    public IItemGenerator? Generator { get; init; }

    /// <summary>Whether the model recommends from a history (a user encoder or a generator) rather than from user rows alone.</summary>
    public bool ReadsHistories => Encoder is not null || Generator is not null;

    /// <summary>Whether user <paramref name="user"/> has a learned row.</summary>
    public bool HasUserRow(int user) => (uint)user < (uint)Embeddings.NumUsers;
}

/// <summary>
/// A user tower over the history: sequential models (SASRec, two-tower, a GRank generator) encode a user's recent
/// items instead of keeping a row per user. Must be safe to call from several threads at once.
/// </summary>
public interface IUserEncoder
{
    /// <summary>Width of the query vectors.</summary>
    int Dim { get; }

    /// <summary>Query vectors row-major [histories.Count, Dim]; each history lists item ids oldest first (may be empty).</summary>
    float[] Encode(IReadOnlyList<int[]> histories);
}

/// <summary>
/// A generative first stage (TIGER): writes each user's next items directly (beam search over item codes) instead of
/// scoring the whole catalog, so items it does not generate have no score (they are absent, as if −∞). Must be safe
/// to call from several threads at once.
/// </summary>
public interface IItemGenerator
{
    /// <summary>Items kept per step of the search; a request for more than this many items widens the search to K.</summary>
    int Beam { get; }

    /// <summary>
    /// The top <paramref name="k"/> generated items of each user (−1 when unknown) with the given history (oldest
    /// first): row-major [users.Count, k] ids, best first, −1 padding when fewer were generated, and their scores
    /// (higher is better, −∞ padding). Items in <paramref name="exclude"/>[q] (null: none) are never returned for user q.
    /// </summary>
    (int[] Ids, float[] Scores) Generate(IReadOnlyList<int> users, IReadOnlyList<int[]> histories, int k, IReadOnlyList<int[]>? exclude);
}

/// <summary>
/// A second stage (a GRank ranker, a cross-attention re-ranker): scores the first stage's candidates for one user.
/// Must be safe to call from several threads at once.
/// </summary>
public interface ICandidateRanker
{
    /// <summary>Candidates the first stage should retrieve per request.</summary>
    int Candidates { get; }

    /// <summary>A score per candidate (higher is better), for a user (−1 when unknown) with the given history (oldest first).</summary>
    float[] Score(int user, ReadOnlySpan<int> history, ReadOnlySpan<int> candidates);

    /// <summary>
    /// Scores of several users' candidates at once (batch work: evaluation, batch retrieval): row q holds
    /// <see cref="Score(int, ReadOnlySpan{int}, ReadOnlySpan{int})"/>(users[q], histories[q], candidates[q]). The default calls <see cref="Score(int, ReadOnlySpan{int}, ReadOnlySpan{int})"/> per user; a
    /// ranker that can score a batch in one pass overrides it, and must return the same scores.
    /// </summary>
    float[][] ScoreBatch(IReadOnlyList<int> users, IReadOnlyList<int[]> histories, IReadOnlyList<int[]> candidates)
    {
        ArgumentNullException.ThrowIfNull(users);
        ArgumentNullException.ThrowIfNull(histories);
        ArgumentNullException.ThrowIfNull(candidates);
        if (histories.Count != users.Count || candidates.Count != users.Count)
            throw new ArgumentException("one history and one candidate list per user.", nameof(candidates));
        var scores = new float[users.Count][];
        for (int q = 0; q < users.Count; q++) scores[q] = Score(users[q], histories[q], candidates[q]);
        return scores;
    }

    /// <summary>
    /// <see cref="ScoreBatch(IReadOnlyList{int}, IReadOnlyList{int[]}, IReadOnlyList{int[]})"/> given the first stage's
    /// score of every candidate (row q aligned with candidates[q]: the inner product of the user's query with the
    /// candidate's vector, as the first stage ranked them). A ranker whose score contains that product (GRank adds it)
    /// takes it from here instead of encoding the history a second time; the result equals the other overload's up to
    /// float rounding. The default ignores the first-stage scores.
    /// </summary>
    float[][] ScoreBatch(IReadOnlyList<int> users, IReadOnlyList<int[]> histories, IReadOnlyList<int[]> candidates, IReadOnlyList<float[]> firstStage) =>
        ScoreBatch(users, histories, candidates);

    /// <summary>
    /// One request's scores given the first stage's score of each candidate (see the batch overload); the default
    /// ignores them, so a ranker that serves single requests its own way keeps doing so.
    /// </summary>
    float[] Score(int user, ReadOnlySpan<int> history, ReadOnlySpan<int> candidates, ReadOnlySpan<float> firstStage) =>
        Score(user, history, candidates);
}
