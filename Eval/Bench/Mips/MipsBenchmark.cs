using Recsys.Retrieval.Mips;
using System.Diagnostics;
using System.Numerics.Tensors;
using Recsys.Data;
using Recsys.IO;
using Recsys.Training;
using TorchSharp;

namespace Recsys.Eval.Bench;

/// <summary>
/// Side-by-side timing of the exact MIPS backends on the same seeded data: the SIMD CPU index, the TorchSharp index,
/// and TorchSharp's plain mm + topk. Every answer is checked against the CPU index (id overlap and score difference),
/// and throughput is reported as effective GFLOP/s = 2·N·M·D / seconds. Optionally measures single-query latency over a
/// large item set next to its memory-bandwidth bound.
/// </summary>
public static class MipsBenchmark
{
    public static MipsBenchReport Run(MipsBenchOptions o, IProgress<string>? progress = null)
    {
        o.Validate();
        int n = o.Queries, m = o.Items;
        Exclusions? ex = null;
        long excluded = 0;
        if (o.DataFolder is { } dir)
        {
            var ds = DatasetFolder.Read(dir);
            n = ds.NumUsers; m = ds.NumItems;
            var train = ds.TrainMatrix();
            ex = Exclusions.From(train);
            excluded = train.NonZeros;
        }
        int threads = o.Threads == 0 ? Environment.ProcessorCount : o.Threads;
        var rng = new Random(o.Seed);
        float[] items, queries;
        int dim = o.Dim;
        if (o.EmbeddingsRun is { } runDir) (queries, items, dim) = ReadEmbeddings(runDir, o.DataFolder is null ? null : (n, m));
        else { items = Gaussian(rng, m, dim); queries = Gaussian(rng, n, dim); }
        n = queries.Length / dim; m = items.Length / dim;
        if (ex is not null && ex.Rows != n) throw new ArgumentException($"exclusions have {ex.Rows} rows for {n} queries.");
        double flops = 2.0 * n * m * dim;
        var rows = new List<MipsBenchRow>();
        var warm = queries.AsSpan(0, Math.Min(n, 64) * dim).ToArray();
        var warmEx = ex?.Slice(0, Math.Min(n, 64));

        var sw = Stopwatch.StartNew();
        using var cpu = new ExactCpuMipsIndex(items, dim, new ExactCpuMipsOptions { Threads = threads });
        double pack = sw.Elapsed.TotalSeconds;
        progress?.Report($"cpu ({cpu.Kernel})");
        var (reference, cpuRuns, cpuCpu) = Time(o.Repeats, () => cpu.Search(warm, o.K, warmEx), () => cpu.Search(queries, o.K, ex));
        var timed = new List<(string Name, string Device, double[] Runs, double[] Cpu, MipsResult Result)> { ($"cpu-{Kernel(cpu.Kernel)}", "cpu", cpuRuns, cpuCpu, reference) };

        if (o.AllKernels)
            foreach (var kind in new[] { MipsKernelKind.Vector256, MipsKernelKind.Scalar })
            {
                if (kind == cpu.Kernel || (kind == MipsKernelKind.Scalar && flops > 1e10)) continue;
                try
                {
                    using var other = new ExactCpuMipsIndex(items, dim, new ExactCpuMipsOptions { Threads = threads, Kernel = kind });
                    progress?.Report($"cpu ({kind})");
                    var (r, runs, c) = Time(o.Repeats, () => other.Search(warm, o.K, warmEx), () => other.Search(queries, o.K, ex));
                    timed.Add(($"cpu-{Kernel(kind)}", "cpu", runs, c, r));
                }
                catch (PlatformNotSupportedException) { }
            }

        if (o.OverFetch > 0)
            foreach (var kind in o.AllKernels ? new[] { Int8KernelKind.Auto, Int8KernelKind.Scalar } : [Int8KernelKind.Auto])
            {
                var resolved = Int8MipsIndex.Resolve(kind);
                if (kind == Int8KernelKind.Scalar && (resolved == Int8MipsIndex.Resolve(Int8KernelKind.Auto) || flops > 1e10)) continue;
                using var q8 = new Int8MipsIndex(items, dim, new Int8MipsOptions { Threads = threads, OverFetch = o.OverFetch, Kernel = resolved });
                progress?.Report($"int8 ({resolved}, over-fetch {o.OverFetch})");
                var (r, runs, c) = Time(o.Repeats, () => q8.Search(warm, o.K, warmEx), () => q8.Search(queries, o.K, ex));
                timed.Add(($"int8-{(resolved == Int8KernelKind.AvxVnni ? "vnni" : "scalar")}×{o.OverFetch}", "cpu", runs, c, r));
            }

        double? baselineSeconds = null;
        if (!o.CpuOnly)
        {
            torch.set_num_threads(threads);
            var topts = new TorchMipsOptions { Device = o.Device };
            var device = o.Device.Resolve();
            using (var tidx = new TorchMipsIndex(items, dim, topts))
            {
                progress?.Report($"torch ({device})");
                var (r, runs, c) = Time(o.Repeats, () => tidx.Search(warm, o.K, warmEx), () => tidx.Search(queries, o.K, ex));
                timed.Add(("torch", device.ToString(), runs, c, r));
            }
            using var mm = new MmTopkBaseline(items, dim, device);
            long blockBytes = device.type == DeviceType.CUDA ? 1L << 30 : 256L << 20;
            progress?.Report($"mm+topk ({device})");
            var (br, bruns, bc) = Time(o.Repeats, () => mm.Search(warm, o.K, warmEx, blockBytes), () => mm.Search(queries, o.K, ex, blockBytes));
            timed.Add(("mm+topk", device.ToString(), bruns, bc, br));
            baselineSeconds = Median(bruns);
        }

        bool agree = true;
        double cpuMedian = Median(cpuRuns);
        foreach (var (name, dev, runs, cpuSecs, result) in timed)
        {
            double med = Median(runs);
            var (overlap, diff) = Compare(reference, result);
            bool approximate = name.StartsWith("int8", StringComparison.Ordinal);
            if (!approximate) agree &= overlap >= 0.999 && diff <= 1e-3;
            rows.Add(new MipsBenchRow(name, dev, med, runs, flops / med / 1e9, baselineSeconds / med, cpuMedian / med, Median(cpuSecs), overlap, diff, approximate));
        }
        MipsLatency? latency = o.LatencyItems > 0 ? Latency(o.LatencyItems, dim, o.K, threads, o.Seed, progress) : null;
        return new MipsBenchReport(n, m, dim, o.K, threads, excluded, cpu.Kernel.ToString(), o.EmbeddingsRun ?? "gaussian", pack, rows, agree, latency);
    }

    private static string Kernel(MipsKernelKind k) => k switch
    {
        MipsKernelKind.Vector512 => "avx512",
        MipsKernelKind.Vector256 => "avx2",
        _ => "scalar",
    };

    /// <summary>Wall seconds per run, and process CPU seconds per run (all threads, torch's included) — on a shared machine the CPU time shows what the work itself cost.</summary>
    private static (MipsResult Last, double[] Runs, double[] Cpu) Time(int repeats, Func<MipsResult> warmUp, Func<MipsResult> run)
    {
        warmUp();
        var runs = new double[repeats];
        var cpu = new double[repeats];
        var proc = Process.GetCurrentProcess();
        MipsResult last = null!;
        for (int r = 0; r < repeats; r++)
        {
            proc.Refresh();
            var c0 = proc.TotalProcessorTime;
            var sw = Stopwatch.StartNew();
            last = run();
            runs[r] = sw.Elapsed.TotalSeconds;
            proc.Refresh();
            cpu[r] = (proc.TotalProcessorTime - c0).TotalSeconds;
        }
        return (last, runs, cpu);
    }

    /// <summary>Mean per-query overlap of the id sets and the largest position-wise score difference.</summary>
    private static (double Overlap, double MaxDiff) Compare(MipsResult a, MipsResult b)
    {
        double overlap = 0, maxDiff = 0;
        var set = new HashSet<int>();
        for (int q = 0; q < a.NumQueries; q++)
        {
            set.Clear();
            int valid = 0, hit = 0;
            foreach (int id in a.IdsOf(q)) if (id >= 0) { set.Add(id); valid++; }
            foreach (int id in b.IdsOf(q)) if (id >= 0 && set.Contains(id)) hit++;
            overlap += valid == 0 ? 1 : (double)hit / valid;
            var sa = a.ScoresOf(q); var sb = b.ScoresOf(q);
            for (int j = 0; j < sa.Length; j++)
                if (!float.IsNegativeInfinity(sa[j]) || !float.IsNegativeInfinity(sb[j]))
                {
                    double diff = Math.Abs((double)sa[j] - sb[j]);
                    // One side padded, the other not: the largest finite value keeps the report valid JSON.
                    maxDiff = Math.Max(maxDiff, double.IsFinite(diff) ? diff : double.MaxValue);
                }
        }
        return (a.NumQueries == 0 ? 1 : overlap / a.NumQueries, maxDiff);
    }

    private static MipsLatency Latency(int m, int dim, int k, int threads, int seed, IProgress<string>? progress)
    {
        progress?.Report($"single-query latency over {m:N0} items");
        var rng = new Random(seed + 1);
        var items = Gaussian(rng, m, dim);
        var query = Gaussian(rng, 1, dim);
        using var index = new ExactCpuMipsIndex(items, dim, new ExactCpuMipsOptions { Threads = threads });
        for (int i = 0; i < 3; i++) index.Search(query, k);
        var runs = new double[21];
        for (int i = 0; i < runs.Length; i++)
        {
            var sw = Stopwatch.StartNew();
            index.Search(query, k);
            runs[i] = sw.Elapsed.TotalMilliseconds;
        }
        // Bandwidth: the same threads summing the same number of bytes (the raw item array), best of several passes.
        double bytes = index.PackedBytes;
        double best = double.MaxValue;
        for (int r = 0; r < 7; r++)
        {
            var sw = Stopwatch.StartNew();
            StreamSum(items, threads);
            best = Math.Min(best, sw.Elapsed.TotalSeconds);
        }
        double gbps = (double)items.Length * sizeof(float) / best / 1e9;
        return new MipsLatency(m, dim, Median(runs), bytes / 1e6, gbps, bytes / (gbps * 1e9) * 1e3);
    }

    private static float StreamSum(float[] a, int threads)
    {
        var parts = new float[threads];
        int chunk = (a.Length + threads - 1) / threads;
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
        {
            int s = t * chunk, e = Math.Min(a.Length, s + chunk);
            if (s < e) parts[t] = TensorPrimitives.Sum(a.AsSpan(s, e - s));
        });
        return parts.Sum();
    }

    /// <summary>User (query) and item embeddings of a run folder; with a dataset, their counts must match its users and items.</summary>
    private static (float[] Queries, float[] Items, int Dim) ReadEmbeddings(string runDir, (int Users, int Items)? expected)
    {
        var run = new RunFolder(runDir);
        var users = EmbeddingFile.Read(run.UserEmbeddingsFile, out int nu, out int du);
        var items = EmbeddingFile.Read(run.ItemEmbeddingsFile, out int ni, out int di);
        if (du != di) throw new DataFormatException(run.ItemEmbeddingsFile, 0, "dim", $"item embeddings have dimension {di}, user embeddings {du}.");
        if (expected is { } e && (e.Users != nu || e.Items != ni))
            throw new DataFormatException(run.UserEmbeddingsFile, 0, "rows", $"run has {nu} users × {ni} items, the dataset {e.Users} × {e.Items}.");
        return (users, items, du);
    }

    /// <summary>Standard normal entries scaled by 1/√dim (Box–Muller), so scores have unit scale.</summary>
    private static float[] Gaussian(Random rng, int rows, int dim)
    {
        var a = new float[(long)rows * dim];
        float scale = 1f / MathF.Sqrt(dim);
        for (long i = 0; i < a.Length; i += 2)
        {
            double u = 1.0 - rng.NextDouble(), v = rng.NextDouble();
            double r = Math.Sqrt(-2 * Math.Log(u));
            a[i] = (float)(r * Math.Cos(2 * Math.PI * v)) * scale;
            if (i + 1 < a.Length) a[i + 1] = (float)(r * Math.Sin(2 * Math.PI * v)) * scale;
        }
        return a;
    }

    private static double Median(double[] xs)
    {
        var s = xs.OrderBy(x => x).ToArray();
        return s.Length % 2 == 1 ? s[s.Length / 2] : (s[s.Length / 2 - 1] + s[s.Length / 2]) / 2;
    }
}
