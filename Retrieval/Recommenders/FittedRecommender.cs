using Recsys.Models;
using Recsys.Retrieval.Mips;

namespace Recsys.Retrieval.Recommenders;

/// <summary>
/// A trained model ready to answer (DESIGN.md's fitted recommender): its <see cref="ModelSnapshot"/> (user rows or a
/// user encoder, item vectors, an optional second-stage ranker), the <see cref="IMipsIndex"/> over the item vectors,
/// and what it knows of the data (<see cref="RecommenderData"/>: seen items, histories, raw ids). Immutable; every
/// method is safe to call from several threads at once. Evaluation, quickstart, <c>retrieve</c>, benchmarks and
/// serving all answer through it; nothing else builds "embeddings → index + exclusions".
/// Scores are inner products (then the ranker's scores when there is one); ties go to the lower item id.
/// </summary>
public sealed class FittedRecommender : IDisposable
{
    private readonly bool _ownsIndex;
    private readonly Lazy<IdMapIndex> _filtered;

    public FittedRecommender(ModelSnapshot snapshot, IMipsIndex index, RecommenderData? data = null, bool ownsIndex = true)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(index);
        var e = snapshot.Embeddings;
        if (index.Count != e.NumItems || index.Dim != e.Dim)
            throw new ArgumentException($"the index holds {index.Count} × {index.Dim} items, the snapshot {e.NumItems} × {e.Dim}.", nameof(index));
        if (snapshot.Encoder is { } enc && enc.Dim != e.Dim)
            throw new ArgumentException($"the encoder writes {enc.Dim}-wide queries for {e.Dim}-wide items.", nameof(snapshot));
        Snapshot = snapshot; Index = index; Data = data ?? RecommenderData.None; _ownsIndex = ownsIndex;
        // Allow lists go through the id-map wrapper's exact filtered search (ids are the rows here).
        _filtered = new Lazy<IdMapIndex>(() => new IdMapIndex(index, Enumerable.Range(0, index.Count).ToArray(), ownsInner: false));
    }

    /// <summary>A recommender over <paramref name="snapshot"/> with an index built by <paramref name="index"/> (default: the exact CPU kernel).</summary>
    public static FittedRecommender Create(ModelSnapshot snapshot, RecommenderData? data = null, MipsIndexChoice? index = null) =>
        new(snapshot, (index ?? new MipsIndexChoice()).Create(snapshot.Embeddings.Items, snapshot.Embeddings.Dim), data);

    public ModelSnapshot Snapshot { get; }
    public IMipsIndex Index { get; }
    public RecommenderData Data { get; }
    public int NumItems => Snapshot.Embeddings.NumItems;
    /// <summary>Users with a learned row (0 for models that only encode histories).</summary>
    public int NumUsers => Snapshot.Embeddings.NumUsers;
    public int Dim => Snapshot.Embeddings.Dim;


    /// <summary>
    /// Query vectors [users.Length, Dim] of known users: their rows, or their encoded histories for a model without
    /// user rows.
    /// </summary>
    public float[] UserQueries(ReadOnlySpan<int> users)
    {
        int d = Dim;
        var q = new float[users.Length * d];
        var e = Snapshot.Embeddings;
        List<int>? encode = null;
        for (int i = 0; i < users.Length; i++)
        {
            int u = users[i];
            if (Snapshot.HasUserRow(u)) e.Users.AsSpan(u * d, d).CopyTo(q.AsSpan(i * d, d));
            else (encode ??= new()).Add(i);
        }
        if (encode is not null)
        {
            var enc = Snapshot.Encoder ?? throw new ArgumentOutOfRangeException(nameof(users), users[encode[0]], "the user has no learned row and the model has no user encoder.");
            var history = Data.History ?? throw new InvalidOperationException("the model encodes histories but the recommender was given none.");
            var histories = new int[encode.Count][];
            for (int j = 0; j < encode.Count; j++) histories[j] = history(users[encode[j]]);
            var v = enc.Encode(histories);
            for (int j = 0; j < encode.Count; j++) v.AsSpan(j * d, d).CopyTo(q.AsSpan(encode[j] * d, d));
        }
        return q;
    }

    /// <summary>
    /// Top-<paramref name="k"/> items for each of <paramref name="users"/> — the batch path evaluation uses. Row q of
    /// <paramref name="exclude"/> lists what user q must not get (default: each user's seen items). With a ranker the
    /// index fetches the ranker's candidate count and the ranker orders them.
    /// </summary>
    public MipsResult Search(ReadOnlySpan<int> users, int k, Exclusions? exclude = null)
    {
        if (k < 1 || k > NumItems) throw new ArgumentOutOfRangeException(nameof(k), k, $"must be in 1..{NumItems} (the items).");
        exclude ??= Data.Seen is { } seen ? Rows(seen, users) : null;
        if (Snapshot.Generator is { } generator)
        {
            var asked = users.ToArray();
            var (gIds, gScores) = generator.Generate(asked, asked.Select(u => Data.History?.Invoke(u) ?? []).ToArray(), k,
                exclude is null ? null : Enumerable.Range(0, asked.Length).Select(q => exclude.Row(q).ToArray()).ToArray());
            return new MipsResult(asked.Length, k, gIds, gScores);
        }
        var queries = UserQueries(users);
        if (Snapshot.Ranker is not { } ranker) return Index.Search(queries, k, exclude);
        var first = Index.Search(queries, Math.Max(k, ranker.Candidates), exclude);
        var ids = new int[users.Length * k];
        var scores = new float[users.Length * k];
        var who = users.ToArray();
        var histories = new int[users.Length][];
        var candidates = new int[users.Length][];
        var firstScores = new float[users.Length][];
        for (int q = 0; q < users.Length; q++)
        {
            histories[q] = Data.History?.Invoke(users[q]) ?? [];
            (candidates[q], firstScores[q]) = Trim(first.IdsOf(q), first.ScoresOf(q));
        }
        var rankerScores = ranker.ScoreBatch(who, histories, candidates, firstScores);
        for (int q = 0; q < users.Length; q++)
        {
            var (i, s) = Order(candidates[q], rankerScores[q], k);
            Pad(i, s, ids.AsSpan(q * k, k), scores.AsSpan(q * k, k));
        }
        return new MipsResult(users.Length, k, ids, scores);
    }

    /// <summary>Answers one request with its filters (see <see cref="RecommendRequest"/>).</summary>
    public Recommendation Recommend(RecommendRequest request)
    {
        request.Validate(Math.Max(NumUsers, Data.Seen?.Rows ?? 0), NumItems);
        int[] history = request.History?.ToArray() ?? (request.User is { } hu ? Data.History?.Invoke(hu) ?? [] : []);
        if (Snapshot.Generator is { } generator) return Generate(generator, request, history);
        float[] query;
        if (request.User is { } u && (Snapshot.HasUserRow(u) || request.History is null)) query = UserQueries([u]);
        else
        {
            var enc = Snapshot.Encoder ?? throw new ArgumentException("this model has no user encoder: recommend for a known user.", nameof(request));
            query = enc.Encode([history]);
        }
        var excluded = new HashSet<int>(request.Exclude ?? []);
        if (request.ExcludeSeen)
        {
            if (request.User is { } su && Data.Seen is { } seen && su < seen.Rows) foreach (var i in seen.Row(su)) excluded.Add(i);
            if (request.History is not null) foreach (var i in request.History) excluded.Add(i);
        }
        int want = Math.Min(NumItems, Snapshot.Ranker is { } r ? Math.Max(request.K, r.Candidates) : request.K);
        var exclude = new Exclusions([0, excluded.Count], excluded.Order().ToArray());
        var res = request.Allow is { } allow
            ? _filtered.Value.Search(query, new MipsSearchRequest { K = want, Exclude = exclude, Allow = allow.Distinct().Order().ToArray() })
            : Index.Search(query, want, exclude);
        var (ids, scores) = Trim(res.IdsOf(0), res.ScoresOf(0));
        if (Snapshot.Ranker is { } ranker) (ids, scores) = Rerank(ranker, request.User ?? -1, history, ids, scores, request.K);
        return new Recommendation(ids, scores);
    }

    /// <summary>The <paramref name="k"/> items with the largest inner product with item <paramref name="item"/>'s vector, itself excluded.</summary>
    public Recommendation SimilarItems(int item, int k)
    {
        if ((uint)item >= (uint)NumItems) throw new ArgumentOutOfRangeException(nameof(item), item, $"must be in 0..{NumItems - 1}.");
        if (k < 1) throw new ArgumentOutOfRangeException(nameof(k), k, "must be ≥ 1.");
        var e = Snapshot.Embeddings;
        var res = Index.Search(e.Items.AsSpan(item * Dim, Dim), Math.Min(k, NumItems), new Exclusions([0, 1], [item]));
        var (ids, scores) = Trim(res.IdsOf(0), res.ScoresOf(0));
        return new Recommendation(ids, scores);
    }

    /// <summary>A generative model's answer: its generated items without the excluded ones, then only allowed ones.</summary>
    private Recommendation Generate(IItemGenerator generator, RecommendRequest request, int[] history)
    {
        var excluded = new HashSet<int>(request.Exclude ?? []);
        if (request.ExcludeSeen)
        {
            if (request.User is { } su && Data.Seen is { } seen && su < seen.Rows) foreach (var i in seen.Row(su)) excluded.Add(i);
            foreach (var i in history) excluded.Add(i);
        }
        var (ids, scores) = generator.Generate([request.User ?? -1], [history], request.K, [excluded.Order().ToArray()]);
        var allow = request.Allow is { } a ? new HashSet<int>(a) : null;
        var keep = Enumerable.Range(0, ids.Length).Where(j => ids[j] >= 0 && (allow is null || allow.Contains(ids[j]))).ToArray();
        return new Recommendation(keep.Select(j => ids[j]).ToArray(), keep.Select(j => scores[j]).ToArray());
    }

    private static (int[], float[]) Rerank(ICandidateRanker ranker, int user, int[] history, int[] candidates, float[] firstScores, int k)
    {
        if (candidates.Length == 0) return ([], []);
        return Order(candidates, ranker.Score(user, history, candidates, firstScores), k);
    }

    /// <summary>The <paramref name="k"/> best candidates by the ranker's scores, ties to the lower item id.</summary>
    private static (int[], float[]) Order(int[] c, float[] s, int k)
    {
        if (s.Length != c.Length) throw new InvalidOperationException($"the ranker returned {s.Length} scores for {c.Length} candidates.");
        var order = Enumerable.Range(0, c.Length).OrderByDescending(i => s[i]).ThenBy(i => c[i]).Take(k).ToArray();
        return (order.Select(i => c[i]).ToArray(), order.Select(i => s[i]).ToArray());
    }

    private static (int[], float[]) Trim(ReadOnlySpan<int> ids, ReadOnlySpan<float> scores)
    {
        int n = 0;
        while (n < ids.Length && ids[n] >= 0) n++;
        return (ids[..n].ToArray(), scores[..n].ToArray());
    }

    private static void Pad(int[] ids, float[] scores, Span<int> outIds, Span<float> outScores)
    {
        outIds.Fill(-1);
        outScores.Fill(float.NegativeInfinity);
        ids.CopyTo(outIds);
        scores.CopyTo(outScores);
    }

    /// <summary>The exclusion rows of <paramref name="users"/> as one block (row q = users[q]'s row).</summary>
    private static Exclusions Rows(Exclusions all, ReadOnlySpan<int> users)
    {
        if (users.Length == all.Rows)
        {
            bool identity = true;
            for (int i = 0; i < users.Length && identity; i++) identity = users[i] == i;
            if (identity) return all;
        }
        var ptr = new int[users.Length + 1];
        var ids = new List<int>();
        for (int q = 0; q < users.Length; q++)
        {
            if ((uint)users[q] < (uint)all.Rows) foreach (var i in all.Row(users[q])) ids.Add(i);
            ptr[q + 1] = ids.Count;
        }
        return new Exclusions(ptr, ids.ToArray());
    }

    public void Dispose()
    {
        if (_filtered.IsValueCreated) _filtered.Value.Dispose();
        if (_ownsIndex) Index.Dispose();
    }
}
