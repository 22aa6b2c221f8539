using System.Diagnostics;
using Recsys.Data;
using Recsys.IO;
using Recsys.Training;

namespace Recsys.Retrieval.Mips.Hnsw;

/// <summary>Settings of <see cref="HnswSweep"/>.</summary>
public sealed record HnswSweepOptions
{
    /// <summary>Results per query.</summary>
    public int K { get; init; } = 20;
    /// <summary>The efSearch values swept over one built graph.</summary>
    public IReadOnlyList<int> ExpansionSearch { get; init; } = [16, 32, 64, 128, 256, 512];
    /// <summary>Graph settings (M, efConstruction, metric, build threads); its efSearch is replaced by each swept value.</summary>
    public HnswOptions Graph { get; init; } = new();
    /// <summary>Threads of both the exact index and the HNSW batch search; 0 = all cores.</summary>
    public int Threads { get; init; } = 1;
    /// <summary>Queries timed one at a time for the latency percentiles (the first ones of the set).</summary>
    public int LatencyQueries { get; init; } = 1000;

    public void Validate()
    {
        if (K < 1) throw new ArgumentOutOfRangeException(nameof(K), K, "must be ≥ 1.");
        if (ExpansionSearch.Count == 0 || ExpansionSearch.Any(e => e < 1))
            throw new ArgumentOutOfRangeException(nameof(ExpansionSearch), string.Join(",", ExpansionSearch), "must be one or more values ≥ 1.");
        Graph.Validate();
        if (Threads < 0) throw new ArgumentOutOfRangeException(nameof(Threads), Threads, "must be ≥ 0 (0 = all cores).");
        if (LatencyQueries < 0) throw new ArgumentOutOfRangeException(nameof(LatencyQueries), LatencyQueries, "must be ≥ 0.");
    }
}

/// <summary>One efSearch of a sweep: recall@k against the exact index, batch throughput and single-query latency.</summary>
/// <remarks><c>BatchCpuSeconds</c> is the process CPU time of the batch (all threads): on a shared machine it tracks the work better than the wall time.</remarks>
public sealed record HnswSweepRow(int ExpansionSearch, double Recall, double BatchSeconds, double BatchCpuSeconds, double Qps, double P50Ms, double P99Ms);

/// <summary>What <see cref="HnswSweep.Run"/> measured; the exact row is the reference every recall is taken against.</summary>
public sealed record HnswSweepReport(
    int Queries, int Items, int Dim, int K, long ExcludedPairs, int Threads, string Vectors, string Library, HnswOptions Graph,
    double BuildSeconds, double ExactBatchSeconds, double ExactBatchCpuSeconds, double ExactQps, double ExactP50Ms, double ExactP99Ms, IReadOnlyList<HnswSweepRow> Rows);

/// <summary>The vectors and exclusions a sweep runs on.</summary>
public sealed record HnswSweepInputs(float[] Queries, float[] Items, int Dim, Exclusions? Exclude, string Vectors)
{
    /// <summary>
    /// A run folder's user (query) and item embeddings, or seeded Gaussian vectors when <paramref name="runDir"/> is
    /// null; with a dataset folder, its training interactions are excluded per user (counts must match).
    /// </summary>
    public static HnswSweepInputs Load(string? dataDir, string? runDir, int queries = 10_000, int items = 100_000, int dim = 64, int seed = 1)
    {
        Exclusions? ex = null;
        if (dataDir is not null)
        {
            var ds = DatasetFolder.Read(dataDir);
            ex = Exclusions.From(ds.TrainMatrix());
            queries = ds.NumUsers; items = ds.NumItems;
        }
        if (runDir is not null)
        {
            var run = new RunFolder(runDir);
            var u = EmbeddingFile.Read(run.UserEmbeddingsFile, out int nu, out int du);
            var x = EmbeddingFile.Read(run.ItemEmbeddingsFile, out int ni, out int di);
            if (du != di) throw new DataFormatException(run.ItemEmbeddingsFile, 0, "dim", $"item embeddings have dimension {di}, user embeddings {du}.");
            if (ex is not null && (nu != queries || ni != items))
                throw new DataFormatException(run.UserEmbeddingsFile, 0, "rows", $"run has {nu} users × {ni} items, the dataset {queries} × {items}.");
            return new HnswSweepInputs(u, x, du, ex, $"embeddings of {run.Path}");
        }
        var rng = new Random(seed);
        return new HnswSweepInputs(Gaussian(rng, queries, dim), Gaussian(rng, items, dim), dim, ex, $"Gaussian, seed {seed}");
    }

    private static float[] Gaussian(Random rng, int rows, int dim)
    {
        var a = new float[(long)rows * dim];
        float scale = 1f / MathF.Sqrt(dim);
        for (long i = 0; i < a.Length; i += 2)
        {
            double u = 1.0 - rng.NextDouble(), v = rng.NextDouble(), r = Math.Sqrt(-2 * Math.Log(u));
            a[i] = (float)(r * Math.Cos(2 * Math.PI * v)) * scale;
            if (i + 1 < a.Length) a[i + 1] = (float)(r * Math.Sin(2 * Math.PI * v)) * scale;
        }
        return a;
    }
}

/// <summary>
/// Recall@k against exact MIPS versus speed for one HNSW graph over a range of efSearch values: the graph is built
/// once (timed), each efSearch searches every query as one batch (throughput) and the first
/// <see cref="HnswSweepOptions.LatencyQueries"/> one at a time (P50/P99), and the exact CPU index is timed the same way.
/// </summary>
public static class HnswSweep
{
    public static HnswSweepReport Run(HnswSweepInputs input, HnswSweepOptions o, IProgress<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(o);
        o.Validate();
        int dim = input.Dim, k = o.K;
        int n = MipsArguments.QueryCount(input.Queries, dim, k, input.Exclude);
        int m = MipsArguments.ItemCount(input.Items, dim);
        int threads = o.Threads == 0 ? Environment.ProcessorCount : o.Threads;

        progress?.Report("exact cpu index");
        using var exact = new ExactCpuMipsIndex(input.Items, dim, new ExactCpuMipsOptions { Threads = threads });
        var (reference, exactSeconds, exactCpu) = Timed(() => exact.Search(input.Queries, k, input.Exclude));
        var (e50, e99) = Latency(exact, input, k, o.LatencyQueries);

        progress?.Report($"building the graph over {m:N0} items");
        var graph = o.Graph with { Threads = threads };
        var sw = Stopwatch.StartNew();
        using var built = new HnswIndex(input.Items, dim, graph);
        double build = sw.Elapsed.TotalSeconds;

        var rows = new List<HnswSweepRow>();
        foreach (int ef in o.ExpansionSearch)
        {
            progress?.Report($"efSearch {ef}");
            using var index = built.WithExpansionSearch(ef);
            var (got, seconds, cpu) = Timed(() => index.Search(input.Queries, k, input.Exclude));
            var (p50, p99) = Latency(index, input, k, o.LatencyQueries);
            rows.Add(new HnswSweepRow(ef, Recall(reference, got), seconds, cpu, n / seconds, p50, p99));
        }
        long excluded = input.Exclude is null ? 0 : Enumerable.Range(0, n).Sum(q => (long)input.Exclude.Row(q).Length);
        return new HnswSweepReport(n, m, dim, k, excluded, threads, input.Vectors, $"USearch {HnswIndex.LibraryVersion}", graph,
            build, exactSeconds, exactCpu, n / exactSeconds, e50, e99, rows);
    }

    /// <summary>Mean over queries of the fraction of the reference's (non-padding) ids that <paramref name="got"/> returns.</summary>
    public static double Recall(MipsResult reference, MipsResult got)
    {
        if (reference.NumQueries != got.NumQueries) throw new ArgumentException($"{got.NumQueries} answers for {reference.NumQueries} reference rows.", nameof(got));
        double sum = 0;
        var want = new HashSet<int>();
        for (int q = 0; q < reference.NumQueries; q++)
        {
            want.Clear();
            foreach (int id in reference.IdsOf(q)) if (id >= 0) want.Add(id);
            int hit = 0;
            foreach (int id in got.IdsOf(q)) if (id >= 0 && want.Contains(id)) hit++;
            sum += want.Count == 0 ? 1 : (double)hit / want.Count;
        }
        return reference.NumQueries == 0 ? 1 : sum / reference.NumQueries;
    }

    private static (MipsResult Result, double Seconds, double CpuSeconds) Timed(Func<MipsResult> search)
    {
        var process = Process.GetCurrentProcess();
        var cpu0 = process.TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        var r = search();
        double wall = sw.Elapsed.TotalSeconds;
        process.Refresh();
        return (r, wall, (process.TotalProcessorTime - cpu0).TotalSeconds);
    }

    /// <summary>P50 and P99 in milliseconds of single-query searches over the first queries (after a short warm-up).</summary>
    private static (double P50, double P99) Latency(IMipsIndex index, HnswSweepInputs input, int k, int count)
    {
        int dim = input.Dim, n = Math.Min(count, input.Queries.Length / dim);
        if (n == 0) return (double.NaN, double.NaN);
        for (int i = 0; i < Math.Min(n, 20); i++) index.Search(input.Queries.AsSpan(i * dim, dim), k, input.Exclude?.Slice(i, 1));
        var ms = new double[n];
        for (int i = 0; i < n; i++)
        {
            long t0 = Stopwatch.GetTimestamp();
            index.Search(input.Queries.AsSpan(i * dim, dim), k, input.Exclude?.Slice(i, 1));
            ms[i] = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
        }
        Array.Sort(ms);
        return (ms[(int)Math.Round(0.5 * (n - 1))], ms[(int)Math.Round(0.99 * (n - 1))]);
    }
}
