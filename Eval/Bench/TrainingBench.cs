using System.Diagnostics;
using Recsys.Data;
using Recsys.Graphs;
using Recsys.Models;
using Recsys.Catalog;
using Recsys.Models.Propagation;
using Recsys.Training;
using static TorchSharp.torch;

namespace Recsys.Eval.Bench;

/// <summary>One propagation backend's median milliseconds for Â·X and for Â·X plus its backward.</summary>
/// <remarks>CPU milliseconds (all threads of the process) are reported too: on a shared machine they track the work done better than wall time.</remarks>
public sealed record PropagationTiming(string Backend, int Nodes, int NonZeros, int Dim, double ForwardMs, double ForwardBackwardMs, double ForwardCpuMs, double ForwardBackwardCpuMs);

/// <summary>
/// Seconds per epoch of one model, measured on <see cref="Batches"/> batches and scaled to a full pass of <see cref="FullBatches"/>;
/// <see cref="CpuSeconds"/> is the process CPU time (all threads) of the whole measured call, model set-up and checkpoint included.
/// </summary>
public sealed record EpochTiming(string Model, string Propagation, int Batches, int FullBatches, double MeasuredSeconds, double SecondsPerEpoch, double FinalLoss, double CpuSeconds = 0);

/// <summary>Timing harness behind <c>recsys bench train</c>: the same adjacency through both propagation backends, and real Trainer epochs.</summary>
public static class TrainingBench
{
    /// <summary>
    /// Median of <paramref name="reps"/> timings (after one warm-up) of Â X and Â X + backward, for the C# CSR and
    /// libtorch sparse paths, under the same libtorch thread setting as CPU training (<paramref name="torchThreads"/>,
    /// 0 = libtorch's default).
    /// </summary>
    public static IReadOnlyList<PropagationTiming> Propagation(InteractionMatrix train, int dim = 64, int reps = 5, PropagationBackend[]? backends = null,
                                                               int torchThreads = 1)
    {
        using var threads = TorchThreadLimit.ForCpu(CPU, torchThreads);
        var adj = AdjacencyBuilder.SymmetricNormalized(train);
        var result = new List<PropagationTiming>();
        foreach (var backend in backends ?? [PropagationBackend.Csr, PropagationBackend.Torch])
        {
            using var prop = new GraphPropagator(adj, symmetric: true, backend);
            using var g = new Generator(1, CPU);
            using var x0 = randn([adj.Rows, dim], generator: g);
            using var w = randn([adj.Rows, dim], generator: g);
            (double, double) Forward()
            {
                using var scope = NewDisposeScope();
                using var _ = no_grad();
                // A fresh input each time, as in training (the node table is rebuilt per step): the C# kernel read a
                // long-lived randn tensor ~10x slower (unexplained; not seen with fresh tensors).
                var xin = x0.clone();
                var (sw, cpu) = (Stopwatch.StartNew(), Cpu());
                prop.Multiply(xin);
                return (sw.Elapsed.TotalMilliseconds, (Cpu() - cpu).TotalMilliseconds);
            }
            (double, double) Both()
            {
                using var scope = NewDisposeScope();
                var x = x0.clone().requires_grad_(true);
                var (sw, cpu) = (Stopwatch.StartNew(), Cpu());
                var loss = (prop.Multiply(x) * w).sum();
                loss.backward();
                return (sw.Elapsed.TotalMilliseconds, (Cpu() - cpu).TotalMilliseconds);
            }
            var (f, fc) = Median(Forward, reps);
            var (b, bc) = Median(Both, reps);
            result.Add(new PropagationTiming(backend.ToString().ToLowerInvariant(), adj.Rows, adj.NonZeros, dim, f, b, fc, bc));
        }
        return result;
    }

    /// <summary>
    /// Runs the real <see cref="Trainer"/> for one epoch capped at <paramref name="batches"/> batches (0 = full) into a temp
    /// folder, without evaluation, and scales the time to a full epoch.
    /// </summary>
    public static EpochTiming Epoch(RecsysCatalog catalog, ModelInputs inputs, ModelOptions model, TrainerOptions options, int batches = 0)
    {
        var dir = Path.Combine(Path.GetTempPath(), "recsys-bench-" + Guid.NewGuid().ToString("N"));
        try
        {
            var o = options with { Epochs = 1, EvalEvery = 0, MaxBatchesPerEpoch = batches };
            var cpu0 = Cpu();
            var r = new Trainer(catalog).Train(inputs, model, o, dir);
            double cpu = (Cpu() - cpu0).TotalSeconds;
            int full = FullBatches(inputs, model, o);
            int ran = batches > 0 ? Math.Min(batches, full) : full;
            var e = r.Record.Epochs[0];
            string prop = model switch { LightGcnOptions l => l.Propagation.ToString(), NgcfOptions n => n.Propagation.ToString(), _ => "-" };
            return new EpochTiming(model.Kind, prop.ToLowerInvariant(), ran, full, e.Seconds, e.Seconds * full / ran, e.Loss, cpu);
        }
        finally
        {
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>Batches of the model's first phase in one uncapped epoch (BPR pairs, users of a sequence model, …).</summary>
    private static int FullBatches(ModelInputs inputs, ModelOptions model, TrainerOptions o)
    {
        using var m = model.Create(inputs, o.Seed);
        var rng = new Xoshiro256(o.Seed);
        return m.Phases(inputs, o with { MaxBatchesPerEpoch = 0 })[0].Begin(ref rng);
    }

    /// <summary>Medians of wall and CPU times over <paramref name="reps"/> runs after one warm-up.</summary>
    private static (double Wall, double Cpu) Median(Func<(double, double)> f, int reps)
    {
        f();
        var t = Enumerable.Range(0, Math.Max(1, reps)).Select(_ => f()).ToArray();
        return (t.Select(x => x.Item1).Order().ElementAt(t.Length / 2), t.Select(x => x.Item2).Order().ElementAt(t.Length / 2));
    }

    private static TimeSpan Cpu() => Process.GetCurrentProcess().TotalProcessorTime;
}
