using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using Recsys.Retrieval.Mips;

namespace Recsys.Serving.Cluster;

/// <summary>Options of <see cref="ClusterBench"/>.</summary>
public sealed record ClusterBenchOptions
{
    /// <summary>Float32 .npy or .arrow item matrix every silo can read.</summary>
    public required string ItemsFile { get; init; }
    public int Shards { get; init; } = 3;
    public int Replicas { get; init; } = 1;
    public int K { get; init; } = 20;
    /// <summary>Queries per search call; each size is measured in turn.</summary>
    public IReadOnlyList<int> BatchSizes { get; init; } = [1, 16];
    /// <summary>Search calls per batch size (after one warm-up call).</summary>
    public int Calls { get; init; } = 20;
    /// <summary>Threads of the single-process index (the cluster's shards search one thread each, in parallel).</summary>
    public int SingleThreads { get; init; } = 3;
    public int Seed { get; init; } = 1;

    public ClusterBenchOptions Validate()
    {
        if (K < 1) throw new ArgumentOutOfRangeException(nameof(K), K, "must be ≥ 1.");
        if (Calls < 1) throw new ArgumentOutOfRangeException(nameof(Calls), Calls, "must be ≥ 1.");
        if (BatchSizes.Count == 0 || BatchSizes.Any(b => b < 1)) throw new ArgumentOutOfRangeException(nameof(BatchSizes), "batch sizes must be ≥ 1.");
        if (SingleThreads < 0) throw new ArgumentOutOfRangeException(nameof(SingleThreads), SingleThreads, "must be ≥ 0.");
        return this;
    }
}

/// <summary>One batch size's timings: per-call latency (ms) of the single process and of the cluster, and whether every answer matched.</summary>
public sealed record ClusterBenchLine(int Batch, int Calls, double SingleP50Ms, double SingleMeanMs, double ClusterP50Ms, double ClusterMeanMs,
    double SingleQueriesPerSecond, double ClusterQueriesPerSecond, bool Identical);

/// <summary>The whole comparison.</summary>
public sealed record ClusterBenchReport(int Items, int Dim, int Shards, int Replicas, int K, double ClusterLoadSeconds, double SingleLoadSeconds,
    IReadOnlyList<ClusterBenchLine> Lines);

/// <summary>
/// Latency of the same searches on one process (an <see cref="ExactCpuMipsIndex"/> over the whole file) and on the
/// cluster (a <see cref="ClusterMipsIndex"/> over shards of it), call after call, answers compared bit for bit.
/// Also writes seeded Gaussian-like catalogs as float32 .npy of any size (<see cref="WriteCatalog"/>).
/// </summary>
public static class ClusterBench
{
    public static async Task<ClusterBenchReport> RunAsync(IGrainFactory grains, ClusterBenchOptions options, IProgress<string>? progress = null)
    {
        options.Validate();
        var (count, dim) = ItemRows.Shape(options.ItemsFile);
        var spec = new ShardSetSpec
        {
            Version = "bench", ItemsFile = Path.GetFullPath(options.ItemsFile), Count = count, Dim = dim,
            Shards = Math.Min(options.Shards, count), Replicas = options.Replicas,
        }.Validate();
        var sw = Stopwatch.StartNew();
        await grains.GetGrain<IShardSetCoordinatorGrain>(0).Prepare(spec);
        double clusterLoad = sw.Elapsed.TotalSeconds;
        progress?.Report($"cluster loaded {count:N0} × {dim} in {clusterLoad:F1} s");
        sw.Restart();
        ExactCpuMipsIndex single;
        {
            var all = ItemRows.Read(options.ItemsFile, 0, count, out _);
            single = new ExactCpuMipsIndex(all, dim, new ExactCpuMipsOptions { Threads = options.SingleThreads });
        }
        GC.Collect();
        double singleLoad = sw.Elapsed.TotalSeconds;
        progress?.Report($"single process loaded in {singleLoad:F1} s");
        var cluster = new ClusterMipsIndex(grains, spec, retireOnDispose: true);
        var rng = new Random(options.Seed);
        var lines = new List<ClusterBenchLine>();
        try
        {
            foreach (int batch in options.BatchSizes)
            {
                var s = new double[options.Calls];
                var c = new double[options.Calls];
                bool same = true;
                for (int call = -1; call < options.Calls; call++)
                {
                    var q = new float[batch * dim];
                    for (int i = 0; i < q.Length; i++) q[i] = (float)(rng.NextDouble() * 2 - 1);
                    sw.Restart();
                    var a = single.Search(q, options.K);
                    double ms1 = sw.Elapsed.TotalMilliseconds;
                    sw.Restart();
                    var b = await cluster.SearchAsync(ShardSearch.From(q, batch, options.K, null, null));
                    double ms2 = sw.Elapsed.TotalMilliseconds;
                    same &= a.Ids.AsSpan().SequenceEqual(b.Ids) && a.Scores.AsSpan().SequenceEqual(b.Scores);
                    if (call >= 0) { s[call] = ms1; c[call] = ms2; }
                }
                var line = new ClusterBenchLine(batch, options.Calls, Median(s), s.Average(), Median(c), c.Average(),
                    batch * 1000 / s.Average(), batch * 1000 / c.Average(), same);
                progress?.Report($"batch {batch}: single {line.SingleP50Ms:F1} ms, cluster {line.ClusterP50Ms:F1} ms (p50), identical {same}");
                lines.Add(line);
            }
        }
        finally
        {
            cluster.Dispose();
            single.Dispose();
        }
        return new ClusterBenchReport(count, dim, spec.Shards, spec.Replicas, options.K, clusterLoad, singleLoad, lines);
    }

    /// <summary>Writes a seeded [count, dim] float32 C-order .npy (values in [−1, 1)), streamed in blocks so any size fits.</summary>
    public static void WriteCatalog(string path, int count, int dim, int seed)
    {
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "must be ≥ 1.");
        if (dim < 1) throw new ArgumentOutOfRangeException(nameof(dim), dim, "must be ≥ 1.");
        var header = $"{{'descr': '<f4', 'fortran_order': False, 'shape': ({count}, {dim}), }}";
        int total = 10 + header.Length + 1;
        header = header.PadRight(header.Length + (64 - total % 64) % 64) + "\n";
        var tmp = path + ".tmp";
        using (var f = new FileStream(tmp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
        {
            f.Write([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0, (byte)(header.Length & 0xFF), (byte)(header.Length >> 8)]);
            f.Write(Encoding.Latin1.GetBytes(header));
            var rng = new Random(seed);
            var block = new float[Math.Min(count, 65536) * dim];
            for (int done = 0; done < count;)
            {
                int rows = Math.Min(count - done, block.Length / dim);
                var span = block.AsSpan(0, rows * dim);
                for (int i = 0; i < span.Length; i++) span[i] = (float)(rng.NextDouble() * 2 - 1);
                f.Write(MemoryMarshal.AsBytes(span));
                done += rows;
            }
        }
        File.Move(tmp, path, overwrite: true);
    }

    private static double Median(double[] v)
    {
        var s = v.Order().ToArray();
        return s.Length % 2 == 1 ? s[s.Length / 2] : (s[s.Length / 2 - 1] + s[s.Length / 2]) / 2;
    }
}
