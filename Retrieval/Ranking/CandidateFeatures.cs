using Recsys.Data;
using Recsys.Models;

namespace Recsys.Retrieval.Ranking;

/// <summary>
/// Hand-built features of a first stage's candidates for one user, the input of <see cref="LightGbmRanker"/>.
/// Every feature of a candidate depends only on the user, the history and that candidate, except the first-stage rank,
/// which is the candidate's rank by first-stage score within the given set (ties to the lower id) — so features, and
/// the ranker's scores, never depend on the order the candidates arrive in, and on the rest of the set only through
/// that rank (at serving the set is the first stage's top <c>Candidates</c>, as in training).
/// <list type="number">
/// <item><c>score</c>: first-stage score q·x_i (q = the user's row, or the encoded history for a model without one).</item>
/// <item><c>rank</c>: log(1 + first-stage rank among the candidates), rank 0 = best.</item>
/// <item><c>popularity</c>: log(1 + training interactions of the item).</item>
/// <item><c>historyLength</c>: log(1 + history length).</item>
/// <item><c>attributeOverlap</c>: share of history items sharing at least one attribute with the candidate (0 without attributes or history).</item>
/// <item><c>attributeShare</c>: mean over the candidate's attributes of the share of history items carrying it (brand / category shares).</item>
/// <item><c>attributeRecency</c>: 1 / g, g = positions back from the end of the history (1 = last item) of the latest item sharing an attribute with the candidate; 0 when none.</item>
/// <item><c>transitions</c>: log(1 + training transitions into the candidate from the last <see cref="RecentItems"/> history items), transitions = consecutive pairs in the training histories.</item>
/// </list>
/// Immutable; safe to call concurrently.
/// </summary>
public sealed class CandidateFeatures
{
    /// <summary>Feature names, in column order.</summary>
    public static readonly string[] Names = ["score", "rank", "popularity", "historyLength", "attributeOverlap", "attributeShare", "attributeRecency", "transitions"];

    /// <summary>History items (most recent) whose transitions count.</summary>
    public const int RecentItems = 3;

    private readonly ModelSnapshot _snapshot;
    private readonly float[] _logPopularity;
    private readonly int[][] _attributesOf;
    private readonly Dictionary<long, int> _transitions;

    /// <param name="snapshot">The first stage: user rows or a user encoder, and item vectors.</param>
    /// <param name="train">Training interactions (popularity).</param>
    /// <param name="histories">Ordered training histories (transitions); null = none.</param>
    /// <param name="attributes">Item attributes; null = none.</param>
    public CandidateFeatures(ModelSnapshot snapshot, InteractionMatrix train, UserHistories? histories, ItemAttributes? attributes)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(train);
        _snapshot = snapshot;
        int items = snapshot.Embeddings.NumItems;
        var counts = new int[items];
        foreach (int i in train.ColIdx) if ((uint)i < (uint)items) counts[i]++;
        _logPopularity = counts.Select(c => MathF.Log(1 + c)).ToArray();
        var lists = new List<int>[items];
        if (attributes is not null)
            for (int p = 0; p < attributes.Count; p++)
                if ((uint)attributes.Items[p] < (uint)items) (lists[attributes.Items[p]] ??= []).Add(attributes.Attributes[p]);
        _attributesOf = lists.Select(l => l is null ? [] : l.Distinct().Order().ToArray()).ToArray();
        _transitions = [];
        if (histories is not null)
            for (int u = 0; u < histories.NumUsers; u++)
            {
                var h = histories.ItemsOf(u);
                for (int t = 1; t < h.Length; t++)
                {
                    long key = Key(h[t - 1], h[t]);
                    _transitions[key] = _transitions.GetValueOrDefault(key) + 1;
                }
            }
    }

    /// <summary>Width of the first-stage queries and item vectors.</summary>
    public int Dim => _snapshot.Embeddings.Dim;

    /// <summary>Number of features per candidate.</summary>
    public static int Count => Names.Length;

    /// <summary>The first-stage query of a user: the user's row when the model has one, else the encoded history.</summary>
    public float[] Query(int user, ReadOnlySpan<int> history)
    {
        var e = _snapshot.Embeddings;
        if (_snapshot.HasUserRow(user)) return e.Users.AsSpan(user * e.Dim, e.Dim).ToArray();
        var encoder = _snapshot.Encoder ?? throw new ArgumentException($"user {user} has no row and the model has no user encoder.", nameof(user));
        return encoder.Encode([history.ToArray()]);
    }

    /// <summary>
    /// First-stage queries row-major [users.Length, Dim] for many users at once (rows copied, the other histories
    /// encoded in one call): what a batch of training examples needs.
    /// </summary>
    public float[] Queries(IReadOnlyList<int> users, IReadOnlyList<int[]> histories)
    {
        ArgumentNullException.ThrowIfNull(users);
        ArgumentNullException.ThrowIfNull(histories);
        if (users.Count != histories.Count) throw new ArgumentException($"{users.Count} users and {histories.Count} histories.", nameof(histories));
        var e = _snapshot.Embeddings;
        int dim = e.Dim;
        var q = new float[users.Count * dim];
        var encode = new List<int>();
        for (int i = 0; i < users.Count; i++)
            if (_snapshot.HasUserRow(users[i])) e.Users.AsSpan(users[i] * dim, dim).CopyTo(q.AsSpan(i * dim, dim));
            else encode.Add(i);
        if (encode.Count > 0)
        {
            var encoder = _snapshot.Encoder ?? throw new ArgumentException($"user {users[encode[0]]} has no row and the model has no user encoder.", nameof(users));
            var encoded = encoder.Encode(encode.Select(i => histories[i]).ToArray());
            for (int j = 0; j < encode.Count; j++) encoded.AsSpan(j * dim, dim).CopyTo(q.AsSpan(encode[j] * dim, dim));
        }
        return q;
    }

    /// <summary>Features row-major [candidates.Length, <see cref="Count"/>] of the candidates for a user (−1 = unknown) with this history (oldest first).</summary>
    public float[] Build(int user, ReadOnlySpan<int> history, ReadOnlySpan<int> candidates) =>
        Build(Query(user, history), history, candidates);

    /// <summary>As <see cref="Build(int, ReadOnlySpan{int}, ReadOnlySpan{int})"/> with the first-stage query given (from <see cref="Queries"/>).</summary>
    public float[] Build(ReadOnlySpan<float> q, ReadOnlySpan<int> history, ReadOnlySpan<int> candidates)
    {
        var e = _snapshot.Embeddings;
        int n = candidates.Length, f = Count, dim = e.Dim;
        if (q.Length != dim) throw new ArgumentException($"the query has {q.Length} values for {dim}-wide items.", nameof(q));
        foreach (int c in candidates)
            if ((uint)c >= (uint)e.NumItems) throw new ArgumentOutOfRangeException(nameof(candidates), c, $"must be an item id in 0..{e.NumItems - 1}.");
        var x = new float[n * f];
        if (n == 0) return x;
        var scores = new float[n];
        for (int j = 0; j < n; j++)
        {
            float s = 0;
            var v = e.Items.AsSpan(candidates[j] * dim, dim);
            for (int t = 0; t < dim; t++) s = MathF.FusedMultiplyAdd(q[t], v[t], s);
            scores[j] = s;
        }
        // Rank by (score desc, id asc): the same for any order of the candidates.
        var ids = candidates.ToArray();
        var order = Enumerable.Range(0, n).OrderByDescending(j => scores[j]).ThenBy(j => ids[j]).ToArray();
        var rank = new int[n];
        for (int r = 0; r < n; r++) rank[order[r]] = r;

        // Per attribute: how many history items carry it, and the latest position (from the end, 1 = last) carrying it.
        var carried = new Dictionary<int, int>();
        var latest = new Dictionary<int, int>();
        for (int t = 0; t < history.Length; t++)
        {
            int item = history[t];
            if ((uint)item >= (uint)_attributesOf.Length) continue;
            foreach (int a in _attributesOf[item])
            {
                carried[a] = carried.GetValueOrDefault(a) + 1;
                latest[a] = history.Length - t;
            }
        }
        float logLength = MathF.Log(1 + history.Length);
        for (int j = 0; j < n; j++)
        {
            int c = candidates[j];
            var row = x.AsSpan(j * f, f);
            row[0] = scores[j];
            row[1] = MathF.Log(1 + rank[j]);
            row[2] = _logPopularity[c];
            row[3] = logLength;
            var attrs = _attributesOf[c];
            if (history.Length > 0 && attrs.Length > 0)
            {
                int sharing = 0, gap = int.MaxValue;
                for (int t = 0; t < history.Length; t++)
                {
                    int item = history[t];
                    if ((uint)item < (uint)_attributesOf.Length && Intersects(attrs, _attributesOf[item])) sharing++;
                }
                double share = 0;
                foreach (int a in attrs)
                {
                    share += carried.GetValueOrDefault(a);
                    if (latest.TryGetValue(a, out int g)) gap = Math.Min(gap, g);
                }
                row[4] = (float)sharing / history.Length;
                row[5] = (float)(share / attrs.Length / history.Length);
                row[6] = gap == int.MaxValue ? 0 : 1f / gap;
            }
            int trans = 0;
            for (int t = Math.Max(0, history.Length - RecentItems); t < history.Length; t++) trans += _transitions.GetValueOrDefault(Key(history[t], c));
            row[7] = MathF.Log(1 + trans);
        }
        return x;
    }

    private static bool Intersects(int[] a, int[] b)
    {
        int i = 0, j = 0;
        while (i < a.Length && j < b.Length)
        {
            if (a[i] == b[j]) return true;
            if (a[i] < b[j]) i++; else j++;
        }
        return false;
    }

    private static long Key(int from, int to) => ((long)from << 32) | (uint)to;
}
