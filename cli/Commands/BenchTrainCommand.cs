using System.CommandLine;
using System.Text.Json;
using Recsys.Data;
using Recsys.Devices;
using Recsys.Models;
using Recsys.Models.Propagation;
using Recsys.Training;

namespace Recsys.Cli.Commands;

/// <summary>
/// <c>recsys bench train --data DIR [--model all|mf|lightgcn|ngcf] [--batches N] [--compare-torch]</c>: Â·X forward and
/// forward+backward with the C# CSR kernel vs libtorch sparse mm on the dataset's adjacency, then seconds per epoch
/// of each model through the real Trainer (paper batch sizes; --batches caps the measured batches and scales up).
/// </summary>
public static class BenchTrainCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "Dataset folder.", Required = true };
        var model = new Option<string>("--model") { Description = "all, mf, lightgcn or ngcf.", DefaultValueFactory = _ => "all" };
        var epochs = new Option<int>("--epochs") { Description = "Epochs to time (only 1 is supported: one epoch, or --batches of it).", DefaultValueFactory = _ => 1 };
        var batches = new Option<int>("--batches") { Description = "Time only this many batches and scale to a full epoch (0 = full epoch).", DefaultValueFactory = _ => 0 };
        var dim = new Option<int>("--dim") { Description = "Embedding width.", DefaultValueFactory = _ => 64 };
        var reps = new Option<int>("--reps") { Description = "Repetitions of each propagation timing (median).", DefaultValueFactory = _ => 5 };
        var compare = new Option<bool>("--compare-torch") { Description = "Also time LightGCN/NGCF epochs with libtorch sparse propagation." };
        var breakdown = new Option<bool>("--breakdown") { Description = "Instead: time each phase of a training step (wall and CPU ms per step, over --batches steps, default 20)." };
        var torchThreads = new Option<int?>("--torch-threads") { Description = "libtorch intra-op threads while training (0 = libtorch's default; default: the model's, as recsys train)." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object." };
        var ngcfVariant = new Option<string>("--ngcf-variant") { Description = "NGCF layer to time: paper, code or tf (as recsys train --variant).", DefaultValueFactory = _ => "paper" };
        ngcfVariant.AcceptOnlyFromAmong(NgcfVariantNames.All);
        var cmd = new Command("train", "Seconds per epoch of MF/LightGCN/NGCF and CSR vs libtorch sparse propagation, side by side.");
        foreach (var o in new Option[] { data, model, epochs, batches, dim, reps, compare, breakdown, torchThreads, json, ngcfVariant }) cmd.Options.Add(o);
        cmd.SetAction(pr =>
        {
            if (pr.GetValue(epochs) != 1) throw new ArgumentOutOfRangeException("--epochs", "the benchmark times one epoch.");
            var d = DatasetFolder.Read(pr.GetValue(data)!);
            var train = InteractionMatrix.From(d.Train, d.NumUsers, d.NumItems);
            var outW = pr.InvocationConfiguration.Output;
            bool asJson = pr.GetValue(json);
            int width = pr.GetValue(dim);
            var variant = NgcfVariantNames.Parse(pr.GetValue(ngcfVariant));
            var kinds = pr.GetValue(model) == "all" ? new[] { "mf", "lightgcn", "ngcf" } : new[] { pr.GetValue(model)! };
            if (pr.GetValue(breakdown))
            {
                var all = new Dictionary<string, IReadOnlyList<PhaseTiming>>();
                foreach (var kind in kinds)
                {
                    int steps = pr.GetValue(batches) > 0 ? pr.GetValue(batches) : 20;
                    var rows = StepBreakdown.Run(train, Shape(ModelOptions.ForKind(kind), width, variant), TrainerOptions.PaperDefaults(kind) with { Device = DeviceChoice.Cpu, TorchThreads = pr.GetValue(torchThreads) ?? TrainerOptions.PaperDefaults(kind).TorchThreads }, steps);
                    all[kind] = rows;
                    if (asJson) continue;
                    outW.WriteLine($"{kind}: ms per training step on {d.Name} (mean of {steps} steps after 3 warm-up)");
                    foreach (var r in rows) outW.WriteLine($"  {r.Phase,-32} wall {r.WallMs,9:F1}   cpu {r.CpuMs,9:F1}   x{r.CallsPerStep:G3}");
                }
                if (asJson) outW.WriteLine(JsonSerializer.Serialize(new { dataset = d.Name, breakdown = all }));
                return 0;
            }
            var prop = TrainingBench.Propagation(train, width, pr.GetValue(reps), torchThreads: pr.GetValue(torchThreads) ?? new TrainerOptions().TorchThreads);
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
                var variants = new List<ModelOptions> { Shape(ModelOptions.ForKind(kind), width, variant) };
                if (pr.GetValue(compare))
                    variants.Add(variants[0] switch
                    {
                        LightGcnOptions l => l with { Propagation = PropagationBackend.Torch },
                        NgcfOptions n => n with { Propagation = PropagationBackend.Torch },
                        _ => null!,
                    });
                foreach (var m in variants.Where(v => v is not null))
                {
                    var t = TrainingBench.Epoch(train, m, TrainerOptions.PaperDefaults(kind) with { Device = DeviceChoice.Cpu, TorchThreads = pr.GetValue(torchThreads) ?? TrainerOptions.PaperDefaults(kind).TorchThreads }, pr.GetValue(batches));
                    epochsOut.Add(t);
                    if (!asJson)
                        outW.WriteLine($"{t.Model,-9} propagation {t.Propagation,-5} {t.SecondsPerEpoch,8:F1} s/epoch  ({t.Batches}/{t.FullBatches} batches in {t.MeasuredSeconds:F1} s, cpu {t.CpuSeconds:F1} s incl. set-up, loss {t.FinalLoss:F4})");
                }
            }
            if (asJson) outW.WriteLine(JsonSerializer.Serialize(new { dataset = d.Name, propagation = prop, epochs = epochsOut }));
            return 0;
        });
        return cmd;
    }

    private static ModelOptions Shape(ModelOptions m, int dim, NgcfVariant variant) => m switch
    {
        NgcfOptions n => n with { Dim = dim, LayerDims = Enumerable.Repeat(dim, n.LayerDims.Length).ToArray(), Variant = variant },
        _ => m with { Dim = dim },
    };
}
