namespace Recsys.Retrieval.Mips;

/// <summary>
/// A coarse first pass refined by an exact second stage (faiss <c>IndexRefine</c>): the first-pass index (any
/// <see cref="IMipsIndex"/>, usually approximate) returns ⌈k·<see cref="RefineOptions.OverFetch"/>⌉ candidates per
/// query with the exclusions applied, and an <see cref="ICandidateRescorer"/> re-scores them exactly and keeps the top
/// k (score descending, ties by lower id, −∞ and NaN never returned, padding −1 / −∞).
/// The answer is exact whenever the true top k lies among the candidates — always when the first pass is exact, or
/// when k·OverFetch ≥ Count; otherwise a near miss replaces a true result.
/// The exact stage is an <see cref="Fp32Rescorer"/> over the vectors or an exact index that can score chosen rows
/// (<see cref="ExactCpuMipsIndex"/> implements <see cref="ICandidateRescorer"/>).
/// <see cref="Int8MipsIndex"/> is this wrapper over an <see cref="Int8ScanIndex"/> and an <see cref="Fp32Rescorer"/>.
/// Thread safety: as the two stages (both of this folder's are safe).
/// </summary>
public sealed class RefineIndex : IMipsIndex
{
    private readonly IMipsIndex _first;
    private readonly ICandidateRescorer _exact;
    private readonly RefineOptions _options;
    private readonly bool _ownsStages;

    /// <param name="firstPass">Candidate generator over the same items (same ids and dimension as <paramref name="exact"/>).</param>
    /// <param name="exact">The exact second stage.</param>
    /// <param name="options">Over-fetch.</param>
    /// <param name="ownsStages">Whether disposing the wrapper disposes <paramref name="firstPass"/> and, when it is disposable, <paramref name="exact"/>.</param>
    public RefineIndex(IMipsIndex firstPass, ICandidateRescorer exact, RefineOptions? options = null, bool ownsStages = true)
    {
        ArgumentNullException.ThrowIfNull(firstPass);
        ArgumentNullException.ThrowIfNull(exact);
        _options = options ?? new RefineOptions();
        _options.Validate();
        if (firstPass.Count != exact.Count || firstPass.Dim != exact.Dim)
            throw new ArgumentException($"the first pass holds {firstPass.Count} × {firstPass.Dim}, the exact stage {exact.Count} × {exact.Dim}.");
        _first = firstPass;
        _exact = exact;
        _ownsStages = ownsStages;
    }

    /// <summary>Refines <paramref name="firstPass"/> with an exact FP32 re-rank over <paramref name="items"/> (row-major [Count, dim], referenced).</summary>
    public RefineIndex(IMipsIndex firstPass, float[] items, int dim, RefineOptions? options = null, bool ownsStages = true)
        : this(firstPass, new Fp32Rescorer(items, dim), options, ownsStages) { }

    public int Count => _first.Count;
    public int Dim => _first.Dim;

    /// <summary>The first pass and the exact stage.</summary>
    public IMipsIndex FirstPass => _first;
    public ICandidateRescorer Exact => _exact;

    /// <summary>Candidates per query for a given k: ⌈k·OverFetch⌉, capped at the item count.</summary>
    public int CandidatesFor(int k) => _options.CandidatesFor(k, Count);

    public MipsResult Search(ReadOnlySpan<float> queries, int k, Exclusions? exclude = null)
    {
        int n = MipsArguments.QueryCount(queries, Dim, k, exclude);
        int c = CandidatesFor(k);
        if (n == 0 || c == 0)
        {
            var ids = new int[(long)n * k];
            var scores = new float[(long)n * k];
            ids.AsSpan().Fill(TopK.PaddingId);
            scores.AsSpan().Fill(float.NegativeInfinity);
            return new MipsResult(n, k, ids, scores);
        }
        var candidates = _first.Search(queries, c, exclude);
        return _exact.Rerank(queries, candidates.Ids, c, k);
    }

    public void Dispose()
    {
        if (!_ownsStages) return;
        _first.Dispose();
        if (!ReferenceEquals(_exact, _first) && _exact is IDisposable exact) exact.Dispose();
    }
}
