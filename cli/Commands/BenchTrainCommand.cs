using System.CommandLine;
using System.Text.Json;
using Recsys.Data;
using Recsys.Devices;
using Recsys.Models;
using Recsys.Models.Propagation;
using Recsys.Catalog;
using Recsys.Eval.Bench;
using Recsys.Training;

namespace Recsys.Cli.Commands;

/// <summary>
/// <c>recsys bench train --data DIR [--model all|KIND] [model options] [--batches N] [--compare-torch]</c>: Â·X forward and
/// forward+backward with the C# CSR kernel vs libtorch sparse mm on the dataset's adjacency, then seconds per epoch
/// of each model through the real Trainer (paper batch sizes; --batches caps the measured batches and scales up).
/// </summary>
public static class BenchTrainCommand
{
    public static Command Create(RecsysCatalog catalog)
    {
        var data = new Option<string>("--data") { Description = "Dataset folder.", Required = true };
        var epochs = new Option<int>("--epochs") { Description = "Epochs to time (only 1 is supported: one epoch, or --batches of it).", DefaultValueFactory = _ => 1 };
        var batches = new Option<int>("--batches") { Description = "Time only this many batches and scale to a full epoch (0 = full epoch).", DefaultValueFactory = _ => 0 };
        var reps = new Option<int>("--reps") { Description = "Repetitions of each propagation timing (median).", DefaultValueFactory = _ => 5 };
        var compare = new Option<bool>("--compare-torch") { Description = "Also time LightGCN/NGCF epochs with libtorch sparse propagation." };
        var breakdown = new Option<bool>("--breakdown") { Description = "Instead: time each phase of a training step (wall and CPU ms per step, over --batches steps, default 20)." };
        var torchThreads = new Option<int?>("--torch-threads") { Description = "libtorch intra-op threads while training (0 = libtorch's default; default: the model's, as recsys train)." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object." };
        var models = new ModelArguments(catalog);
        var cmd = new Command("train", "Seconds per epoch of the registered models (all that the data supports, or --model) and CSR vs libtorch sparse propagation, side by side; model options as for recsys train.");
        foreach (var o in new Option[] { data, epochs, batches, reps, compare, breakdown, torchThreads, json }) cmd.Options.Add(o);
        foreach (var o in models.All) cmd.Options.Add(o);
        cmd.SetAction(pr =>
        {
            if (pr.GetValue(epochs) != 1) throw new ArgumentOutOfRangeException("--epochs", "the benchmark times one epoch.");
            var d = DatasetFolder.Read(pr.GetValue(data)!);
            var inputs = ModelInputs.From(d);
            var outW = pr.InvocationConfiguration.Output;
            bool asJson = pr.GetValue(json);
            var kinds = pr.GetValue(models.Model) is { } one && one != "all" ? [models.Kind(pr)]
                : catalog.Models.Where(m => m.Unsupported(inputs) is null).ToList();
            TrainerOptions Trainer(ModelKind kind) => kind.TrainerDefaults() with
            {
                Device = DeviceChoice.Cpu, TorchThreads = pr.GetValue(torchThreads) ?? kind.TrainerDefaults().TorchThreads,
            };
            if (pr.GetValue(breakdown))
            {
                var all = new Dictionary<string, IReadOnlyList<PhaseTiming>>();
                foreach (var kind in kinds)
                {
                    int steps = pr.GetValue(batches) > 0 ? pr.GetValue(batches) : 20;
                    var rows = StepBreakdown.Run(inputs, models.Build(pr, kind, inputs, TextWriter.Null), Trainer(kind), steps);
                    all[kind.Name] = rows;
                    if (asJson) continue;
                    outW.WriteLine($"{kind.Name}: ms per training step on {d.Name} (mean of {steps} steps after 3 warm-up)");
                    foreach (var r in rows) outW.WriteLine($"  {r.Phase,-32} wall {r.WallMs,9:F1}   cpu {r.CpuMs,9:F1}   x{r.CallsPerStep:G3}");
                }
                if (asJson) outW.WriteLine(JsonSerializer.Serialize(new { dataset = d.Name, breakdown = all }, CliJson.Options));
                return 0;
            }
            int width = pr.GetValue(models.Dim) ?? 64;
            var prop = TrainingBench.Propagation(inputs.Train, width, pr.GetValue(reps), torchThreads: pr.GetValue(torchThreads) ?? new TrainerOptions().TorchThreads);
            if (!asJson)
            {
                outW.WriteLine($"propagation Â·X on {d.Name}: {prop[0].Nodes:N0} nodes, {prop[0].NonZeros:N0} non-zeros, dim {width} (median of {pr.GetValue(reps)})");
                foreach (var p in prop)
                    outW.WriteLine($"  {p.Backend,-6} forward {p.ForwardMs,8:F1} ms (cpu {p.ForwardCpuMs,8:F1})   forward+backward {p.ForwardBackwardMs,8:F1} ms (cpu {p.ForwardBackwardCpuMs,8:F1})");
                outW.WriteLine($"  speed-up csr vs torch (wall): forward {prop[1].ForwardMs / prop[0].ForwardMs:F1}x, forward+backward {prop[1].ForwardBackwardMs / prop[0].ForwardBackwardMs:F1}x");
            }
            var epochsOut = new List<EpochTiming>();
            foreach (var kind in kinds)
            {
                var variants = new List<ModelOptions> { models.Build(pr, kind, inputs, TextWriter.Null) };
                if (pr.GetValue(compare) && variants[0] switch
                    {
                        LightGcnOptions l => (ModelOptions)(l with { Propagation = PropagationBackend.Torch }),
                        NgcfOptions n => n with { Propagation = PropagationBackend.Torch },
                        _ => null,
                    } is { } torchVariant) variants.Add(torchVariant);
                foreach (var m in variants)
                {
                    var t = TrainingBench.Epoch(catalog, inputs, m, Trainer(kind), pr.GetValue(batches));
                    epochsOut.Add(t);
                    if (!asJson)
                        outW.WriteLine($"{t.Model,-9} propagation {t.Propagation,-5} {t.SecondsPerEpoch,8:F1} s/epoch  ({t.Batches}/{t.FullBatches} batches in {t.MeasuredSeconds:F1} s, cpu {t.CpuSeconds:F1} s incl. set-up, loss {t.FinalLoss:F4})");
                }
            }
            if (asJson) outW.WriteLine(JsonSerializer.Serialize(new { dataset = d.Name, propagation = prop, epochs = epochsOut }, CliJson.Options));
            return 0;
        });
        return cmd;
    }
}
