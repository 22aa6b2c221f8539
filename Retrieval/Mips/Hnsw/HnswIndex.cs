using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using static Recsys.Retrieval.Mips.Hnsw.USearchNative;

namespace Recsys.Retrieval.Mips.Hnsw;

/// <summary>
/// Approximate maximum-inner-product search over a hierarchical navigable small-world graph (Malkov &amp; Yashunin,
/// HNSW), built and searched by the maintained USearch library (Cloud.Unum.USearch, native <c>libusearch_c</c>); the
/// graph-index baseline the exact engines are compared against. Rows 0..Count−1 are the ids (wrap it in
/// <see cref="IdMapIndex"/> for external ids and allow lists, or use it as a shard of a <see cref="ShardedIndex"/>).
/// <para>
/// A search walks the graph with a beam of max(efSearch, ⌈k·<see cref="HnswOptions.OverFetch"/>⌉) items, takes the whole
/// beam as candidates and re-scores them exactly with <see cref="Fp32Rescorer"/>: returned scores are the exact
/// FP32 inner products (bit-identical to <see cref="ExactCpuMipsIndex"/>'s), rows are ordered by score descending with
/// ties to the lower id, −∞ and NaN are never returned, and rows are padded −1 / −∞. Only which items are found is
/// approximate: a true top-k item the walk did not reach is replaced by the next best it did.
/// </para>
/// <para>
/// Exclusions are applied inside the walk (USearch's filtered search with a predicate over the query's sorted
/// exclusion row): excluded nodes are still traversed but never enter the result beam, and the walk does not stop
/// before the beam holds max(efSearch, candidates) allowed items. So a row has fewer than k results only when the walk
/// could not reach k allowed items — never because excluded items used up an over-fetch. When the candidates cover
/// every item (max(k·OverFetch, efSearch) ≥ Count) the beam is never full, the walk visits every item reachable from the entry point,
/// and on a connected graph the answer is exact (so it is whenever efSearch ≥ Count).
/// </para>
/// <para>
/// Determinism: with <see cref="HnswOptions.BuildThreads"/> = 1 the same items and options build the same graph (row
/// order, default-seeded level generator); USearch takes no seed. Searches are deterministic given the graph.
/// Thread safety: immutable once built; <see cref="Search"/> may run concurrently — each native search takes one of
/// the index's thread contexts (as many as <see cref="HnswOptions.Threads"/>), waiting when all are busy.
/// <see cref="IDisposable.Dispose"/> must not race a search.
/// </para>
/// </summary>
public sealed unsafe class HnswIndex : IMipsIndex
{
    private nint _handle;
    private readonly float[] _items;

    /// <summary>The indexed vectors (row-major [Count, Dim]), as the exact re-rank reads them.</summary>
    internal ReadOnlySpan<float> Items => _items;
    private readonly Fp32Rescorer _rescorer;
    private readonly SemaphoreSlim _contexts;
    private readonly int _threads;

    /// <summary>Builds the graph over row-major <paramref name="items"/> [count, dim] (copied).</summary>
    /// <param name="items">Row-major [count, dim] item vectors.</param>
    /// <param name="dim">Vector dimension (≥ 1).</param>
    /// <param name="options">Graph and search settings; defaults when null.</param>
    public HnswIndex(float[] items, int dim, HnswOptions? options = null) : this(items, dim, options, graph: null) { }

    private HnswIndex(float[] items, int dim, HnswOptions? options, byte[]? graph)
    {
        ArgumentNullException.ThrowIfNull(items);
        Options = options ?? new HnswOptions();
        Options.Validate();
        Count = MipsArguments.ItemCount(items, dim);
        Dim = dim;
        _items = items.ToArray();
        _threads = Options.EffectiveThreads;
        _rescorer = new Fp32Rescorer(_items, dim, _threads);
        int contexts = Math.Max(_threads, Options.BuildThreads);
        _contexts = new SemaphoreSlim(contexts, contexts);
        _handle = Init(dim, Options);
        try
        {
            if (graph is null) Build(contexts);
            else LoadGraph(graph, contexts);
        }
        catch
        {
            Free();
            throw;
        }
    }

    /// <summary>An index over <paramref name="items"/> whose graph is a buffer written by <see cref="SaveGraph"/> for the same items and graph options.</summary>
    internal static HnswIndex FromGraph(float[] items, int dim, HnswOptions options, byte[] graph) => new(items, dim, options, graph);

    public int Count { get; }
    public int Dim { get; }

    /// <summary>The settings the index was built with.</summary>
    public HnswOptions Options { get; }

    /// <summary>Candidates fetched from the graph per query for a given k.</summary>
    public int CandidatesFor(int k) => Options.CandidatesFor(k, Count);

    /// <summary>The native library's version, e.g. "2.26.6".</summary>
    public static string LibraryVersion => USearchNative.LibraryVersion;

    /// <summary>One line naming the index as searched for k, e.g. "hnsw (ip, M 16, efC 128, efS 64, 20 candidates re-ranked in fp32)".</summary>
    public string Describe(int k) =>
        $"hnsw ({(Options.Metric == HnswMetric.Cosine ? "cos" : "ip")}, M {Options.Connectivity}, efC {Options.ExpansionAdd}, efS {Options.ExpansionSearch}, {CandidatesFor(k)} candidates re-ranked in fp32)";

    /// <summary>
    /// The same graph searched with another efSearch (a copy of the graph; this index is unchanged), for sweeps of
    /// recall against speed without rebuilding.
    /// </summary>
    public HnswIndex WithExpansionSearch(int expansionSearch) =>
        new(_items, Dim, Options with { ExpansionSearch = expansionSearch }, SaveGraph());

    public MipsResult Search(ReadOnlySpan<float> queries, int k, Exclusions? exclude = null)
    {
        ObjectDisposedException.ThrowIf(_handle == 0, this);
        int n = MipsArguments.QueryCount(queries, Dim, k, exclude);
        int c = CandidatesFor(k);
        var candidates = new int[(long)n * c];
        candidates.AsSpan().Fill(TopK.PaddingId);
        if (n > 0 && c > 0)
        {
            fixed (float* q = queries)
            {
                nint qp = (nint)q;
                int chunks = Math.Min(n, _threads * 4);
                if (_threads == 1 || chunks == 1) Walk(qp, 0, n, c, exclude, candidates);
                else Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = _threads },
                    ch => Walk(qp, (int)((long)n * ch / chunks), (int)((long)n * (ch + 1) / chunks), c, exclude, candidates));
            }
        }
        return _rescorer.Rerank(queries, candidates, c, k);
    }

    /// <summary>Graph candidates of queries q0..q1−1 into rows of <paramref name="candidates"/> [n, c] (−1 where the walk found fewer).</summary>
    private void Walk(nint queries, int q0, int q1, int c, Exclusions? exclude, int[] candidates)
    {
        var keys = new ulong[c];
        var distances = new float[c];
        fixed (ulong* pk = keys)
        fixed (float* pd = distances)
            for (int q = q0; q < q1; q++)
            {
                float* query = (float*)queries + (long)q * Dim;
                var excluded = exclude is null ? ReadOnlySpan<int>.Empty : exclude.Row(q);
                nint error = 0;
                nuint found;
                _contexts.Wait();
                try
                {
                    if (excluded.IsEmpty) found = usearch_search(_handle, query, ScalarF32, (nuint)c, pk, pd, &error);
                    else
                        fixed (int* ex = excluded)
                        {
                            var filter = new SortedIdFilter { Ids = ex, Length = excluded.Length };
                            found = usearch_filtered_search(_handle, query, ScalarF32, (nuint)c, &Allowed, &filter, pk, pd, &error);
                        }
                }
                finally { _contexts.Release(); }
                Check(error, "search");
                var row = candidates.AsSpan((int)((long)q * c), c);
                for (int j = 0; j < (int)found; j++) row[j] = (int)keys[j];
            }
    }

    /// <summary>A query's sorted exclusion row, read by the native predicate.</summary>
    private struct SortedIdFilter
    {
        public int* Ids;
        public int Length;
    }

    /// <summary>USearch's predicate: 1 when the node may enter the result beam, 0 when the query excludes it.</summary>
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int Allowed(ulong key, void* state)
    {
        var f = (SortedIdFilter*)state;
        return new ReadOnlySpan<int>(f->Ids, f->Length).BinarySearch((int)key) < 0 ? 1 : 0;
    }

    /// <summary>The serialised graph (USearch's format, vectors included).</summary>
    internal byte[] SaveGraph()
    {
        ObjectDisposedException.ThrowIf(_handle == 0, this);
        nint error = 0;
        nuint length = usearch_serialized_length(_handle, &error);
        Check(error, "serialized_length");
        var buffer = new byte[(long)length];
        fixed (byte* b = buffer) usearch_save_buffer(_handle, b, length, &error);
        Check(error, "save");
        return buffer;
    }

    private static nint Init(int dim, HnswOptions o)
    {
        var init = new InitOptions
        {
            MetricKind = o.Metric == HnswMetric.Cosine ? MetricCos : MetricIp,
            Quantization = ScalarF32,
            Dimensions = (nuint)dim,
            Connectivity = (nuint)o.Connectivity,
            ExpansionAdd = (nuint)o.ExpansionAdd,
            ExpansionSearch = (nuint)o.ExpansionSearch,
        };
        nint error = 0;
        nint handle = usearch_init(&init, &error);
        Check(error, "init");
        if (handle == 0) throw new InvalidOperationException("USearch init returned no index.");
        return handle;
    }

    /// <summary>Thread contexts and efSearch: a reserve or a load resets the former to the hardware's thread count.</summary>
    private void Configure(int contexts)
    {
        nint error = 0;
        usearch_change_threads_add(_handle, (nuint)contexts, &error);
        Check(error, "change_threads_add");
        usearch_change_threads_search(_handle, (nuint)contexts, &error);
        Check(error, "change_threads_search");
        usearch_change_expansion_search(_handle, (nuint)Options.ExpansionSearch, &error);
        Check(error, "change_expansion_search");
    }

    private void Build(int contexts)
    {
        nint error = 0;
        usearch_reserve(_handle, (nuint)Math.Max(Count, 1), &error);
        Check(error, "reserve");
        Configure(contexts);
        if (Options.BuildThreads == 1 || Count < 2 * Options.BuildThreads) AddRows(0, Count);
        else
        {
            int chunks = Options.BuildThreads * 8;
            Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = Options.BuildThreads },
                ch => AddRows((int)((long)Count * ch / chunks), (int)((long)Count * (ch + 1) / chunks)));
        }
    }

    private void AddRows(int from, int to)
    {
        fixed (float* x = _items)
            for (int r = from; r < to; r++)
            {
                nint error = 0;
                usearch_add(_handle, (ulong)r, x + (long)r * Dim, ScalarF32, &error);
                Check(error, "add");
            }
    }

    private void LoadGraph(byte[] graph, int contexts)
    {
        nint error = 0;
        fixed (byte* b = graph) usearch_load_buffer(_handle, b, (nuint)graph.Length, &error);
        Check(error, "load");
        nuint size = usearch_size(_handle, &error), dims = usearch_dimensions(_handle, &error);
        if ((long)size != Count || (long)dims != Dim)
            throw new InvalidDataException($"the saved graph holds {size} × {dims}, the items {Count} × {Dim}.");
        Configure(contexts);
    }

    private void Free()
    {
        if (_handle == 0) return;
        nint error = 0;
        usearch_free(_handle, &error);
        _handle = 0;
    }

    public void Dispose()
    {
        Free();
        _contexts.Dispose();
        GC.SuppressFinalize(this);
    }

    ~HnswIndex() => Free();
}
