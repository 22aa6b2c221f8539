using System.Diagnostics;
using Recsys.Data;
using Recsys.Models;
using Recsys.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Recsys.Eval.Bench;

/// <summary>Mean wall and CPU milliseconds of one phase of a training step (<see cref="StepBreakdown"/>).</summary>
public sealed record PhaseTiming(string Phase, double WallMs, double CpuMs, double CallsPerStep);

/// <summary>
/// Where a training step's time goes: the Trainer's step on the model's first phase (zero_grad, batch + loss forward, backward, Adam,
/// loss read-back, scope dispose) timed phase by phase on CPU, plus the finer phases the models and propagation
/// functions report through <see cref="StepProfile"/>. Behind <c>recsys bench train --breakdown</c>.
/// </summary>
public static class StepBreakdown
{
    /// <summary>
    /// Runs <paramref name="warmup"/> untimed then <paramref name="batches"/> timed steps of a fresh model on the first
    /// batches of one sampled epoch; returns per-step means (the sampler's per-epoch cost is spread over the full epoch).
    /// </summary>
    public static IReadOnlyList<PhaseTiming> Run(ModelInputs inputs, ModelOptions modelOptions, TrainerOptions o, int batches = 20, int warmup = 3)
    {
        o.Validate();
        modelOptions.Validate();
        using var model = modelOptions.Create(inputs, o.Seed);
        model.Module.to(CPU);
        model.Module.train(true);
        using var threads = TorchThreadLimit.ForCpu(CPU, o.TorchThreads);
        using var optimizer = new Adam(model.Module.parameters(), o.LearningRate);
        var phase = model.Phases(inputs, o)[0];
        var rng = new Xoshiro256(o.Seed);
        var (sw, cpu0) = (Stopwatch.StartNew(), Cpu());
        int full = phase.Begin(ref rng);
        var sampleWall = sw.Elapsed.TotalMilliseconds / full;
        var sampleCpu = (Cpu() - cpu0) / full;
        int total = Math.Min(full, warmup + batches);
        StepProfile.Recording? recording = null;
        try
        {
            for (int b = 0; b < total; b++)
            {
                if (b == warmup) recording = StepProfile.Start();
                using var step = StepProfile.Time("step (total)");
                using var quiet = GcQuiet.Enter();
                var scope = NewDisposeScope();
                using (StepProfile.Time("zero_grad")) optimizer.zero_grad();
                Tensor loss;
                using (StepProfile.Time("batch + loss forward")) loss = phase.Loss(b, CPU);
                using (StepProfile.Time("backward")) loss.backward();
                using (StepProfile.Time("adam step")) optimizer.step();
                using (StepProfile.Time("loss.item")) loss.item<float>();
                using (StepProfile.Time("dispose scope")) scope.Dispose();
            }
        }
        finally { recording?.Stop(); }
        int timed = Math.Max(1, total - warmup);
        var rows = new List<PhaseTiming> { new($"{phase.Name} batches drawn (per epoch / batches)", sampleWall, sampleCpu, 1) };
        rows.AddRange((recording?.Snapshot() ?? []).Select(p => new PhaseTiming(p.Phase, p.WallMs / timed, p.CpuMs / timed, (double)p.Count / timed)));
        return rows;
    }

    private static double Cpu() => Process.GetCurrentProcess().TotalProcessorTime.TotalMilliseconds;
}
