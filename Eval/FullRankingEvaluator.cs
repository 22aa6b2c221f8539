using System.Diagnostics;
using System.Runtime.CompilerServices;
using Recsys.Data;
using Recsys.Eval.Metrics;
using Recsys.Retrieval.Mips;

namespace Recsys.Eval;

/// <summary>
/// Full-ranking evaluation (NGCF / LightGCN protocol): every item is ranked for every user that has at least one
/// held-out item, the user's training items (and validation items, when scoring test) are excluded, and all
/// metrics at all K come from one top-max(K) list per user. Users go in blocks (<see cref="EvaluationOptions.BlockSize"/>),
/// so the [users × items] score matrix is never materialised: embedding models through an <see cref="IMipsIndex"/>
/// (any exact backend gives the same ids), other models through an <see cref="IUserScorer"/>, and the rankings of
/// a multi-stage pipeline as <see cref="CandidateLists"/>.
/// Immutable after construction; one instance can evaluate many models on the same split.
/// </summary>
public sealed class FullRankingEvaluator
{
    private readonly int[] _users;
    private readonly int[] _targetPtr;
    private readonly int[] _targetIds;
    private readonly Exclusions _exclude;
    private readonly IRankingMetric[] _metrics;
    /// <summary>Items without training interactions, for cold_share@K; null when that share is not reported.</summary>
    private readonly bool[]? _coldItems;
    private readonly int[] _coldShareKs;
    /// <summary>Length of every ranked list: the largest cut-off, at most the number of items.</summary>
    private readonly int _maxK;

    /// <param name="target">Held-out items per user (rows = all users); users with an empty row are not evaluated.</param>
    /// <param name="exclude">Items never ranked for each user, rows indexed by user id (at least target.NumUsers rows).</param>
    /// <param name="options">Cut-offs, block size, legacy NDCG.</param>
    /// <param name="coldItems">
    /// Items without training interactions ([NumItems]); when given, the result also holds <c>cold_share@K</c> for each K
    /// (see <see cref="EvaluationOptions.ColdShare"/>).
    /// </param>
    public FullRankingEvaluator(InteractionMatrix target, Exclusions exclude, EvaluationOptions options, bool[]? coldItems = null)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(exclude);
        options.Validate();
        if (exclude.Rows < target.NumUsers)
            throw new ArgumentException($"exclusions have {exclude.Rows} rows for {target.NumUsers} users.", nameof(exclude));
        Options = options;
        NumUsers = target.NumUsers;
        NumItems = target.NumItems;
        _metrics = RankingMetrics.Standard(options.Ks, options.LegacyNdcg).ToArray();
        // A cut-off beyond the catalog ranks nothing more: lists (and every buffer) stop at the items, and the metrics
        // count the missing ranks as misses (precision@K still divides by K).
        _maxK = Math.Min(options.MaxK, NumItems);
        if (coldItems is not null && coldItems.Length != NumItems)
            throw new ArgumentException($"the cold-item mask has {coldItems.Length} entries for {NumItems} items.", nameof(coldItems));
        _coldItems = coldItems;
        _coldShareKs = coldItems is null ? [] : options.Ks.Distinct().Order().ToArray();

        // Compact the target rows and the exclusion rows to the evaluated users, so a block of evaluated users
        // is a contiguous slice of both.
        var users = new List<int>();
        for (int u = 0; u < target.NumUsers; u++) if (target.UserDegree(u) > 0) users.Add(u);
        _users = users.ToArray();
        _targetPtr = new int[_users.Length + 1];
        _targetIds = new int[target.NonZeros];
        var exPtr = new int[_users.Length + 1];
        long exCount = 0;
        foreach (var u in _users) exCount += exclude.Row(u).Length;
        var exIds = new int[exCount];
        for (int i = 0; i < _users.Length; i++)
        {
            var t = target.ItemsOf(_users[i]);
            t.CopyTo(_targetIds.AsSpan(_targetPtr[i]));
            _targetPtr[i + 1] = _targetPtr[i] + t.Length;
            var e = exclude.Row(_users[i]);
            e.CopyTo(exIds.AsSpan(exPtr[i]));
            exPtr[i + 1] = exPtr[i] + e.Length;
        }
        _exclude = new Exclusions(exPtr, exIds);
    }

    /// <summary>
    /// The evaluator of a dataset's test split (excluding train ∪ valid) or validation split (excluding train).
    /// </summary>
    public static FullRankingEvaluator ForDataset(Dataset data, EvaluationOptions options)
    {
        var train = data.TrainMatrix();
        var cold = options.ColdShare ? ColdItems(train) : null;
        if (options.Split == EvalSplit.Valid)
        {
            if (data.Valid is null) throw new ArgumentException($"dataset '{data.Name}' has no validation split.");
            return new FullRankingEvaluator(Slice(data.Valid, train, data, options.Items), Exclusions.From(train), options, cold);
        }
        var exclude = data.Valid is null ? Exclusions.From(train)
            : Exclusions.Union(train, InteractionMatrix.From(data.Valid, data.NumUsers, data.NumItems));
        return new FullRankingEvaluator(Slice(data.Test, train, data, options.Items), exclude, options, cold);
    }

    /// <summary>Items without interactions in <paramref name="train"/>, or null when every item has some.</summary>
    public static bool[]? ColdItems(InteractionMatrix train)
    {
        var cold = train.ItemsWithoutInteractions();
        return Array.IndexOf(cold, true) >= 0 ? cold : null;
    }

    /// <summary>The held-out pairs whose item is in <paramref name="items"/>' slice, judged by training-split item degrees.</summary>
    private static InteractionMatrix Slice(Interactions heldOut, InteractionMatrix train, Dataset data, HeldOutItems items)
    {
        if (items == HeldOutItems.All) return InteractionMatrix.From(heldOut, data.NumUsers, data.NumItems);
        var seen = new bool[data.NumItems];
        foreach (var i in train.ColIdx) seen[i] = true;
        bool wantSeen = items == HeldOutItems.Warm;
        if (items == HeldOutItems.LongTail) { seen = LongTailItems(train); wantSeen = true; }
        var users = new List<int>(); var kept = new List<int>();
        for (int k = 0; k < heldOut.Count; k++)
            if (seen[heldOut.Items[k]] == wantSeen) { users.Add(heldOut.Users[k]); kept.Add(heldOut.Items[k]); }
        return InteractionMatrix.From(users.ToArray(), kept.ToArray(), data.NumUsers, data.NumItems);
    }

    /// <summary>
    /// The long tail of a training matrix: items with at least one training interaction and at most the median training
    /// degree of those items (the lower median for an even count) — the less popular half of the trained items, ties at
    /// the median included (with many items of one or two interactions, "strictly below the median" can be empty).
    /// </summary>
    public static bool[] LongTailItems(InteractionMatrix train)
    {
        var degrees = train.ItemDegrees();
        var warm = degrees.Where(d => d > 0).Order().ToArray();
        var tail = new bool[degrees.Length];
        if (warm.Length == 0) return tail;
        int median = warm[(warm.Length - 1) / 2];
        for (int i = 0; i < degrees.Length; i++) tail[i] = degrees[i] > 0 && degrees[i] <= median;
        return tail;
    }

    public EvaluationOptions Options { get; }
    public int NumUsers { get; }
    public int NumItems { get; }

    /// <summary>Length of the ranked lists the evaluator scores: max(K), at most the number of items.</summary>
    public int ListLength => _maxK;

    /// <summary>Evaluated user ids, ascending (users with at least one held-out item).</summary>
    public IReadOnlyList<int> Users => _users;

    /// <summary>Items never ranked for each evaluated user: row i belongs to <see cref="Users"/>[i] (for pipelines that search themselves).</summary>
    public Exclusions UserExclusions => _exclude;

    /// <summary>Metrics in report order.</summary>
    public IReadOnlyList<IRankingMetric> Metrics => _metrics;

    /// <summary>
    /// Evaluates an embedding model: <paramref name="userEmbeddings"/> is row-major [NumUsers, index.Dim]; the
    /// index holds the NumItems item vectors. Score(u, i) = ⟨user u, item i⟩.
    /// </summary>
    public EvaluationResult Evaluate(IMipsIndex index, ReadOnlySpan<float> userEmbeddings,
        IProgress<EvaluationProgress>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(index);
        if (index.Count != NumItems) throw new ArgumentException($"the index holds {index.Count} items, the dataset has {NumItems}.", nameof(index));
        int dim = index.Dim;
        if (userEmbeddings.Length != (long)NumUsers * dim)
            throw new ArgumentException($"user embeddings hold {userEmbeddings.Length} values, expected {NumUsers} users × {dim}.", nameof(userEmbeddings));
        var sw = Stopwatch.StartNew();
        var perUser = NewValues();
        int block = Options.BlockSize;
        var queries = new float[(long)Math.Min(block, _users.Length) * dim];
        for (int b0 = 0; b0 < _users.Length; b0 += block)
        {
            cancellation.ThrowIfCancellationRequested();
            int n = Math.Min(block, _users.Length - b0);
            for (int i = 0; i < n; i++)
                userEmbeddings.Slice(_users[b0 + i] * dim, dim).CopyTo(queries.AsSpan(i * dim, dim));
            var top = index.Search(queries.AsSpan(0, n * dim), _maxK, _exclude.Slice(b0, n));
            Accumulate(b0, n, top.Ids, perUser);
            progress?.Report(new EvaluationProgress(b0 + n, _users.Length));
        }
        return Result(perUser, sw.Elapsed.TotalSeconds, MipsIndexChoice.Describe(index, _maxK));
    }

    /// <summary>
    /// Evaluates a model that scores dense rows (<see cref="IUserScorer"/>); blocks are sized so a block's
    /// [users, NumItems] score buffer stays under <see cref="EvaluationOptions.MaxScoreBlockFloats"/>.
    /// </summary>
    public EvaluationResult Evaluate(IUserScorer scorer, IProgress<EvaluationProgress>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(scorer);
        if (scorer.NumItems != NumItems) throw new ArgumentException($"the scorer scores {scorer.NumItems} items, the dataset has {NumItems}.", nameof(scorer));
        var sw = Stopwatch.StartNew();
        var perUser = NewValues();
        int block = (int)Math.Clamp(Options.MaxScoreBlockFloats / Math.Max(1, NumItems), 1, Options.BlockSize);
        block = Math.Min(block, Math.Max(1, _users.Length));
        var scores = new float[(long)block * NumItems];
        var ids = new int[block * _maxK];
        var topScores = new float[block * _maxK];
        for (int b0 = 0; b0 < _users.Length; b0 += block)
        {
            cancellation.ThrowIfCancellationRequested();
            int n = Math.Min(block, _users.Length - b0);
            scorer.Score(_users.AsSpan(b0, n), scores.AsSpan(0, n * NumItems));
            var job = new SelectJob(scores, NumItems, _exclude.Slice(b0, n), ids, topScores, _maxK);
            int chunks = Math.Min(n, Environment.ProcessorCount * 4);
            if (chunks <= 1) SelectRows(job, 0, n);
            else Parallel.For(0, chunks, c => SelectRows(job, (int)((long)n * c / chunks), (int)((long)n * (c + 1) / chunks)));
            Accumulate(b0, n, ids, perUser);
            progress?.Report(new EvaluationProgress(b0 + n, _users.Length));
        }
        return Result(perUser, sw.Elapsed.TotalSeconds);
    }

    /// <summary>
    /// Scores given rankings (e.g. the output of a retrieval + re-ranking pipeline) with the same protocol and the same
    /// per-user metric vectors as the index path, so results pair with it. For each evaluated user the list is read best
    /// first up to max(K): padding (−1) ends it, and items the protocol excludes for that user (training items, and
    /// validation items when scoring test) and repeats are skipped, as an index would never have returned them; later
    /// items move up. A user without a list, or with a shorter one, scores its missing ranks as misses. Lists of users
    /// that are not evaluated are ignored. Scoring an exact index's own top-max(K) lists gives exactly the index result.
    /// </summary>
    public EvaluationResult Evaluate(CandidateLists lists, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(lists);
        var sw = Stopwatch.StartNew();
        var perUser = NewValues();
        var row = new int[_maxK];
        var seen = new HashSet<int>();
        for (int e = 0; e < _users.Length; e++)
        {
            if ((e & 1023) == 0) cancellation.ThrowIfCancellationRequested();
            var list = lists.Of(_users[e]);
            var excluded = _exclude.Row(e);
            seen.Clear();
            int n = 0;
            foreach (int id in list)
            {
                if (n == _maxK || id < 0) break;
                if (excluded.BinarySearch(id) >= 0 || !seen.Add(id)) continue;
                row[n++] = id;
            }
            row.AsSpan(n).Fill(TopK.PaddingId);
            Accumulate(e, 1, row, perUser);
        }
        return Result(perUser, sw.Elapsed.TotalSeconds, "candidate lists");
    }

    private double[][] NewValues()
    {
        var v = new double[_metrics.Length + _coldShareKs.Length][];
        for (int m = 0; m < v.Length; m++) v[m] = new double[_users.Length];
        return v;
    }

    /// <summary>Metric keys of a result: the ranking metrics, then cold_share@K for each K when it is reported.</summary>
    private IReadOnlyList<string> Keys => [.. _metrics.Select(m => m.Key), .. _coldShareKs.Select(k => $"{ColdShareName}@{k}")];

    /// <summary>Name of the share of a top-K list held by items without training interactions.</summary>
    public const string ColdShareName = "cold_share";

    private EvaluationResult Result(double[][] perUser, double seconds, string? scoring = null) =>
        new(Keys, _users, perUser, seconds) { Scoring = scoring };

    /// <summary>Turns the block's top-max(K) ids (row-major [n, maxK]) into hit vectors and per-user metric values.</summary>
    private void Accumulate(int b0, int n, int[] ids, double[][] perUser)
    {
        Span<bool> hits = _maxK <= 1024 ? stackalloc bool[_maxK] : new bool[_maxK];
        for (int i = 0; i < n; i++)
        {
            int e = b0 + i;
            var target = _targetIds.AsSpan(_targetPtr[e], _targetPtr[e + 1] - _targetPtr[e]);
            var row = ids.AsSpan(i * _maxK, _maxK);
            for (int r = 0; r < _maxK; r++) hits[r] = row[r] >= 0 && target.BinarySearch(row[r]) >= 0;
            for (int m = 0; m < _metrics.Length; m++) perUser[m][e] = _metrics[m].Compute(hits, target.Length);
            if (_coldItems is null) continue;
            int cold = 0, r0 = 0;
            for (int c = 0; c < _coldShareKs.Length; c++)
            {
                // Padding (fewer reachable items than K) is not a cold item; the share still divides by K, as precision does.
                int k = _coldShareKs[c];
                for (int r = r0; r < Math.Min(k, _maxK); r++) if (row[r] >= 0 && _coldItems[row[r]]) cold++;
                r0 = Math.Min(k, _maxK);
                perUser[_metrics.Length + c][e] = (double)cold / k;
            }
        }
    }

    private readonly struct SelectJob(float[] scores, int numItems, Exclusions exclude, int[] ids, float[] top, int k)
    {
        public readonly float[] Scores = scores;
        public readonly int NumItems = numItems;
        public readonly Exclusions Exclude = exclude;
        public readonly int[] Ids = ids;
        public readonly float[] Top = top;
        public readonly int K = k;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SelectRows(SelectJob j, int r0, int r1)
    {
        for (int r = r0; r < r1; r++)
            TopK.Select(j.Scores.AsSpan(r * j.NumItems, j.NumItems),
                j.Exclude.Row(r), j.Ids.AsSpan(r * j.K, j.K), j.Top.AsSpan(r * j.K, j.K));
    }
}
