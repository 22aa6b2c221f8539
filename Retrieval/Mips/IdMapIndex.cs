namespace Recsys.Retrieval.Mips;

/// <summary>
/// Gives the rows of any <see cref="IMipsIndex"/> external ids (faiss <c>IndexIDMap</c>) and applies per-call
/// filters. Row r of the wrapped index answers as <c>ExternalIds[r]</c>. External ids are <b>int32</b>, distinct and
/// ≥ 0 (−1 stays the padding id): the project's item ids are int32 everywhere (dataset files, <see cref="MipsResult"/>,
/// <see cref="Exclusions"/>), and keeping the id type lets an id-mapped index be a shard, a refine stage or anything
/// else that takes an <see cref="IMipsIndex"/>.
/// <para>
/// The answer follows the interface's rule in <i>external</i> ids: score descending, ties by the lower external id,
/// excluded ids never returned, padding −1 / −∞. When the map is increasing, the wrapped index's tie order is already
/// right; otherwise a row whose cut-off falls inside a tie is fetched deeper until the tie is complete, then re-sorted.
/// </para>
/// <para>
/// Filters (<see cref="MipsSearchRequest"/>): the deny list (per query) is translated to rows and pushed into the
/// wrapped search. The allow list is exact: a first pass over-fetches ⌈k·AllowOverFetch⌉ rows and keeps the allowed
/// ones — which is exact whenever k allowed results are certain among them (the wrapped index returns its best rows in
/// order, so an allowed row it did not return ranks below every one it did). Queries for which that is not certain are
/// searched again with every disallowed row added to their exclusions, which is exact by the wrapped index's contract
/// (cost: one exclusion row of Count − |allow| ids per such query).
/// </para>
/// Thread safety: immutable after construction; as safe as the wrapped index.
/// </summary>
public sealed class IdMapIndex : IMipsIndex
{
    private readonly IMipsIndex _inner;
    private readonly int[] _external;
    private readonly Dictionary<int, int> _rowOf;
    private readonly bool _increasing;
    private readonly bool _ownsInner;

    /// <param name="inner">The wrapped index; its row r becomes external id <paramref name="externalIds"/>[r].</param>
    /// <param name="externalIds">[inner.Count] distinct ids ≥ 0 (copied).</param>
    /// <param name="ownsInner">Whether disposing the wrapper disposes <paramref name="inner"/>.</param>
    public IdMapIndex(IMipsIndex inner, ReadOnlySpan<int> externalIds, bool ownsInner = true)
    {
        ArgumentNullException.ThrowIfNull(inner);
        if (externalIds.Length != inner.Count)
            throw new ArgumentException($"{externalIds.Length} external ids for an index of {inner.Count} items.", nameof(externalIds));
        _inner = inner;
        _external = externalIds.ToArray();
        _rowOf = new Dictionary<int, int>(_external.Length);
        _increasing = true;
        for (int r = 0; r < _external.Length; r++)
        {
            int id = _external[r];
            if (id < 0) throw new ArgumentOutOfRangeException(nameof(externalIds), id, "external ids must be ≥ 0 (−1 is padding).");
            if (!_rowOf.TryAdd(id, r)) throw new ArgumentException($"external id {id} appears twice.", nameof(externalIds));
            if (r > 0 && id <= _external[r - 1]) _increasing = false;
        }
        _ownsInner = ownsInner;
    }

    public int Count => _inner.Count;
    public int Dim => _inner.Dim;

    /// <summary>The wrapped index.</summary>
    public IMipsIndex Inner => _inner;

    /// <summary>External id of each row [Count].</summary>
    public IReadOnlyList<int> ExternalIds => _external;

    /// <summary>The row holding <paramref name="externalId"/>, if any.</summary>
    public bool TryGetRow(int externalId, out int row) => _rowOf.TryGetValue(externalId, out row);

    /// <summary>Top-k by external id, excluding the external ids in <paramref name="exclude"/>.</summary>
    public MipsResult Search(ReadOnlySpan<float> queries, int k, Exclusions? exclude = null) =>
        Search(queries, new MipsSearchRequest { K = k, Exclude = exclude });

    /// <summary>
    /// Top-<see cref="MipsSearchRequest.K"/> external ids per query of <paramref name="queries"/> (row-major [n, Dim]),
    /// honouring the request's deny and allow lists; [n, K] best first, padded with −1 / −∞.
    /// </summary>
    public MipsResult Search(ReadOnlySpan<float> queries, MipsSearchRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Validate();
        int k = request.K, dim = Dim, count = Count;
        int n = MipsArguments.QueryCount(queries, dim, k, request.Exclude);
        var ids = new int[(long)n * k];
        var scores = new float[(long)n * k];
        ids.AsSpan().Fill(TopK.PaddingId);
        scores.AsSpan().Fill(float.NegativeInfinity);
        if (n == 0 || count == 0) return new MipsResult(n, k, ids, scores);

        bool[]? allowed = null;
        int[]? disallowedRows = null;
        if (request.Allow is not null)
        {
            allowed = new bool[count];
            int allowedCount = 0;
            foreach (int id in request.Allow)
                if (_rowOf.TryGetValue(id, out int row) && !allowed[row]) { allowed[row] = true; allowedCount++; }
            if (allowedCount == 0) return new MipsResult(n, k, ids, scores);
            disallowedRows = new int[count - allowedCount];
            for (int r = 0, w = 0; r < count; r++) if (!allowed[r]) disallowedRows[w++] = r;
            if (disallowedRows.Length == 0) { allowed = null; disallowedRows = null; }
        }
        var deny = request.Exclude is null ? null : ToRows(request.Exclude);

        // First pass: over-fetch when an allow list filters afterwards.
        int fetch = allowed is null ? k : (int)Math.Min(count, Math.Ceiling(k * request.AllowOverFetch - 1e-9));
        fetch = Math.Min(Math.Max(fetch, 1), count);
        bool pushDown = false;
        var pending = Enumerable.Range(0, n).ToArray();
        var list = new List<(float Score, int Id)>();
        while (pending.Length > 0)
        {
            var (sub, ex) = Gather(queries, pending, deny, pushDown ? disallowedRows : null);
            var res = _inner.Search(sub, fetch, ex);
            var again = new List<int>();
            for (int p = 0; p < pending.Length; p++)
            {
                var rowIds = res.IdsOf(p);
                var rowScores = res.ScoresOf(p);
                list.Clear();
                foreach (var (id, s) in Zip(rowIds, rowScores))
                    if (allowed is null || allowed[id]) list.Add((s, _external[id]));
                // The wrapped row holds every item scoring above its last score; all of them when it is not full.
                bool complete = fetch >= count || rowIds[fetch - 1] < 0;
                bool certain = complete || (list.Count >= k && (_increasing || list[k - 1].Score > rowScores[fetch - 1]));
                if (!certain) { again.Add(pending[p]); continue; }
                // Re-sort by external id within ties (a no-op when the map is increasing).
                if (!_increasing) list.Sort((a, b) => a.Score != b.Score ? b.Score.CompareTo(a.Score) : a.Id.CompareTo(b.Id));
                int q = pending[p];
                for (int j = 0; j < Math.Min(k, list.Count); j++) { ids[q * k + j] = list[j].Id; scores[q * k + j] = list[j].Score; }
            }
            pending = again.ToArray();
            if (pending.Length == 0) break;
            if (allowed is not null && !pushDown)
            {
                // Over-fetch was not enough for these queries: push the allow list into the search.
                pushDown = true;
                fetch = Math.Min(count, _increasing ? k : 2 * k);
            }
            else fetch = (int)Math.Min(count, 2L * fetch);
        }
        return new MipsResult(n, k, ids, scores);
    }

    private static IEnumerable<(int Id, float Score)> Zip(ReadOnlySpan<int> ids, ReadOnlySpan<float> scores)
    {
        var list = new List<(int, float)>(ids.Length);
        for (int j = 0; j < ids.Length && ids[j] >= 0; j++) list.Add((ids[j], scores[j]));
        return list;
    }

    /// <summary>Exclusion rows in external ids → sorted rows of the wrapped index (unknown ids dropped).</summary>
    private Exclusions ToRows(Exclusions ex)
    {
        var ptr = new int[ex.Rows + 1];
        var rows = new List<int>();
        for (int q = 0; q < ex.Rows; q++)
        {
            int start = rows.Count;
            foreach (int id in ex.Row(q)) if (_rowOf.TryGetValue(id, out int row)) rows.Add(row);
            rows.Sort(start, rows.Count - start, null);
            ptr[q + 1] = rows.Count;
        }
        return new Exclusions(ptr, rows.ToArray());
    }

    /// <summary>The pending queries' vectors and their exclusion rows (deny ∪ optionally every disallowed row, sorted).</summary>
    private (float[] Queries, Exclusions? Exclude) Gather(ReadOnlySpan<float> queries, int[] pending, Exclusions? deny, int[]? disallowed)
    {
        int dim = Dim;
        var sub = new float[(long)pending.Length * dim];
        for (int p = 0; p < pending.Length; p++) queries.Slice(pending[p] * dim, dim).CopyTo(sub.AsSpan(p * dim, dim));
        if (deny is null && disallowed is null) return (sub, null);
        var ptr = new int[pending.Length + 1];
        var rows = new List<int>();
        for (int p = 0; p < pending.Length; p++)
        {
            var a = deny is null ? ReadOnlySpan<int>.Empty : deny.Row(pending[p]);
            var b = disallowed is null ? ReadOnlySpan<int>.Empty : disallowed.AsSpan();
            // Union of two ascending lists.
            int i = 0, j = 0;
            while (i < a.Length || j < b.Length)
            {
                int v = j >= b.Length || (i < a.Length && a[i] < b[j]) ? a[i++] : b[j++];
                if (rows.Count == ptr[p] || rows[^1] != v) rows.Add(v);
            }
            ptr[p + 1] = rows.Count;
        }
        return (sub, new Exclusions(ptr, rows.ToArray()));
    }

    public void Dispose()
    {
        if (_ownsInner) _inner.Dispose();
    }
}
