using System.CommandLine;
using System.Text.Json;
using Recsys.Catalog;
using Recsys.Cli.Scoring;
using Recsys.Data;
using Recsys.Devices;
using Recsys.IO;
using Recsys.Models;
using Recsys.Training;
using Spectre.Console;

namespace Recsys.Cli.Commands;

/// <summary>
/// <c>recsys train --data DIR --model KIND [options] --out RUN</c> and <c>recsys train --resume RUN [--epochs N]</c>:
/// one <see cref="Trainer"/> call with a progress bar on stderr; Ctrl+C writes a checkpoint and exits 130. The model
/// kinds, their options and the table kinds come from the catalog; unset --lr/--reg/--batch/--epochs take the kind's
/// paper settings (<see cref="ModelKind.TrainerDefaults"/>).
/// </summary>
public static class TrainCommand
{
    public static Command Create(RecsysCatalog catalog)
    {
        var data = new Option<string?>("--data") { Description = "Dataset folder (recsys data import ...)." };
        var output = new Option<string?>("--out") { Description = "Run folder to create." };
        var resume = new Option<string?>("--resume") { Description = "Continue the run in this folder from its checkpoint." };
        var fromSearch = new Option<string?>("--from-search")
        {
            Description = "Prune the finished DNIS search of this run to --dnis-budget (or --dnis-threshold) and fine-tune, into --out: one search serves every budget. The search is copied; the run's other settings are kept (--epochs may change the total).",
        };
        var retrain = new Option<bool>("--retrain")
        {
            Description = "With --from-search: train the pruned widths from a fresh start (the run's seed) for the whole total (--epochs, default the search run's) instead of fine-tuning the search's weights for the epochs it left; the search's epochs come on top.",
        };
        var lr = new Option<double?>("--lr") { Description = "Adam learning rate (default: the model's paper setting, e.g. 1e-3; ngcf 1e-4)." };
        var schedule = new Option<string>("--lr-schedule") { Description = "How the learning rate moves per optimizer step: constant, inverse-sqrt (× √(warm-up / step) after the warm-up: T5's and TIGER's) or cosine (to 0 at the last step).", DefaultValueFactory = _ => "constant" };
        schedule.AcceptOnlyFromAmong([.. LearningRateSchedule.Names]);
        var warmup = new Option<int>("--lr-warmup") { Description = "Steps (batches) over which the learning rate climbs linearly to --lr before the schedule applies (0 = none).", DefaultValueFactory = _ => 0 };
        var reg = new Option<double?>("--reg") { Description = "L2 weight on the batch's ego embeddings (default: the paper's, e.g. 1e-4; ngcf 1e-5)." };
        var batch = new Option<int?>("--batch") { Description = "Pairs per batch (default: the paper's, e.g. 2048; ngcf 1024)." };
        var epochs = new Option<int?>("--epochs") { Description = "Total epochs (default: the paper's, e.g. 1000; ngcf 400). With --resume: the new total." };
        var evalEvery = new Option<int>("--eval-every") { Description = "Evaluate every N epochs; 0 = never.", DefaultValueFactory = _ => 20 };
        var patience = new Option<int>("--patience") { Description = "Evaluations without improvement before stopping; 0 = never.", DefaultValueFactory = _ => 10 };
        var negatives = new Option<int>("--negatives") { Description = "Negatives per positive.", DefaultValueFactory = _ => 1 };
        var negativesFrom = new Option<string>("--negatives-from") { Description = "Pool of negatives: all items (papers) or trained (items with a training interaction; keeps cold items from being pushed down).", DefaultValueFactory = _ => "all" };
        negativesFrom.AcceptOnlyFromAmong("all", "trained");
        var sampling = new Option<string>("--sampling") { Description = "Pairs of an epoch: interactions (each training pair once) or users (uniform users, one positive each — the official LightGCN/NGCF samplers).", DefaultValueFactory = _ => "interactions" };
        sampling.AcceptOnlyFromAmong("interactions", "users");
        var seed = new Option<ulong>("--seed") { Description = "Seed of initial weights, sampler and dropout.", DefaultValueFactory = _ => 2020UL };
        var torchThreads = new Option<int?>("--torch-threads") { Description = "libtorch intra-op threads on CPU (0 = libtorch's default; default 1: the propagation and NGCF layer kernels run on .NET threads). With --resume: changes the run's setting (speed only)." };
        var device = new Option<string>("--device") { Description = "auto, cpu or cuda.", DefaultValueFactory = _ => "auto" };
        var k = new Option<int>("--k") { Description = "K of the validation metrics (recall@K, ndcg@K).", DefaultValueFactory = _ => 20 };
        var json = new Option<bool>("--json") { Description = "Print the run summary as one JSON object." };
        var models = new ModelArguments(catalog);

        var cmd = new Command("train", $"Train a registered model ({string.Join(", ", catalog.Models.Select(m => m.Name))}); writes a run folder (run.json, embeddings, model.bin, checkpoint/).");
        foreach (var o in new Option[] { data, output, resume, fromSearch, retrain, lr, schedule, warmup, reg, batch, epochs, evalEvery, patience, negatives, negativesFrom, sampling, seed, torchThreads, device, k, json })
            cmd.Options.Add(o);
        foreach (var o in models.All) cmd.Options.Add(o);
        cmd.MapParameters(("BatchSize", "--batch"), ("LearningRate", "--lr"), ("WarmupSteps", "--lr-warmup"), ("Dim", "--dim"), ("Ks", "--k"));
        cmd.SetAction(pr =>
        {
            var outW = pr.InvocationConfiguration.Output;
            using var cts = new CancellationTokenSource();
            ConsoleCancelEventHandler onCancel = (_, e) => { e.Cancel = true; cts.Cancel(); };
            Console.CancelKeyPress += onCancel;
            // SIGTERM (kill, docker stop, a scheduler) stops like Ctrl+C: finish the batch, write a checkpoint, exit 130.
            // Jobs started in the background of a non-interactive shell ignore SIGINT, so this is their way to stop cleanly.
            using var onTerm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, c => { c.Cancel = true; cts.Cancel(); });
            try
            {
                TrainingResult result;
                string runDir;
                if (pr.GetValue(resume) is { } resumeDir)
                {
                    runDir = resumeDir;
                    // The run's options are fixed; a model, table or trainer setting given here would be silently ignored.
                    var fixedOption = models.FirstGiven(pr) ?? new Option[] { output, fromSearch, retrain, lr, schedule, warmup, reg, batch, evalEvery, patience, negatives, negativesFrom, sampling, seed, device }
                        .FirstOrDefault(o => pr.GetResult(o) is { Implicit: false })?.Name;
                    if (fixedOption is not null)
                        throw new ArgumentException($"{fixedOption} cannot be changed when resuming (the run keeps its options); only --epochs and --torch-threads can.");
                    var (everyEpochs, primaryMetric) = Recsys.Embeddings.Dnis.TableSearchTraining.ResumedEvaluation(resumeDir, catalog);
                    var d = DatasetFolder.Read(pr.GetValue(data) ?? throw new ArgumentException("--resume needs --data (the run's dataset folder)."));
                    var inputs = ModelInputs.From(d);
                    var scorer = everyEpochs > 0 ? ValidationScorerFactory.Create(d, ResumeK(primaryMetric, pr.GetResult(k) is { Implicit: false } ? pr.GetValue(k) : null)) : null;
                    result = Run(pr.GetValue(json), (t, c) => Recsys.Embeddings.Dnis.TableSearchTraining.Resume(t, inputs, resumeDir, pr.GetValue(epochs), c, pr.GetValue(torchThreads)), catalog, scorer, cts.Token);
                }
                else if (pr.GetValue(fromSearch) is { } source)
                {
                    var fixedOption = models.FirstGiven(pr, "dnis-budget", "dnis-threshold", "dnis-min-width") ?? new Option[] { lr, schedule, warmup, reg, batch, evalEvery, patience, negatives, negativesFrom, sampling, seed, device, torchThreads }
                        .FirstOrDefault(o => pr.GetResult(o) is { Implicit: false })?.Name;
                    if (fixedOption is not null)
                        throw new ArgumentException($"{fixedOption} cannot be given with --from-search (the run keeps the search's settings); only --dnis-budget or --dnis-threshold, --dnis-min-width, --retrain, --epochs and --k can.");
                    var target = Recsys.Embeddings.Dnis.DnisTableKinds.Target(models.Given(pr, "dnis-budget"), models.Given(pr, "dnis-threshold"), models.Given(pr, "dnis-min-width"));
                    var d = DatasetFolder.Read(pr.GetValue(data) ?? throw new ArgumentException("--from-search needs --data (the search's dataset folder)."));
                    runDir = pr.GetValue(output) ?? throw new ArgumentException("--out is required.");
                    OutputGuard.RefuseOverlap("--out", runDir, ("--data", pr.GetValue(data)), ("--from-search", source));
                    var plan = Recsys.Embeddings.Dnis.DnisTraining.SearchPlan(source, catalog);
                    var inputs = ModelInputs.From(d);
                    var scorer = plan.EvalEvery > 0 ? ValidationScorerFactory.Create(d, ResumeK(plan.PrimaryMetric, pr.GetResult(k) is { Implicit: false } ? pr.GetValue(k) : null)) : null;
                    var command = "recsys " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1));
                    result = Run(pr.GetValue(json), (t, c) => Recsys.Embeddings.Dnis.DnisTraining.FromSearch(t, inputs, source, target, runDir, pr.GetValue(epochs), c, command, pr.GetValue(retrain)), catalog, scorer, cts.Token);
                }
                else
                {
                    if (pr.GetValue(retrain)) throw new ArgumentException("--retrain needs --from-search RUN (the DNIS search whose widths to retrain).");
                    var d = DatasetFolder.Read(pr.GetValue(data) ?? throw new ArgumentException("--data is required (or --resume RUN)."));
                    runDir = pr.GetValue(output) ?? throw new ArgumentException("--out is required.");
                    OutputGuard.RefuseOverlap("--out", runDir, ("--data", pr.GetValue(data)));
                    var inputs = ModelInputs.From(d);
                    var kind = models.Kind(pr);
                    if (kind.Unsupported(inputs) is { } why) throw new InvalidDataException($"{d.Name}: {why}");
                    var mo = models.Build(pr, kind, inputs, pr.GetValue(json) ? TextWriter.Null : Console.Error);
                    var defaults = kind.TrainerDefaults();
                    var to = defaults with
                    {
                        LearningRate = pr.GetValue(lr) ?? defaults.LearningRate,
                        Schedule = pr.GetValue(schedule) == "constant" && pr.GetValue(warmup) == 0 ? defaults.Schedule
                            : LearningRateSchedule.Parse(pr.GetValue(schedule)!, pr.GetValue(warmup), "--lr-schedule"),
                        Reg = pr.GetValue(reg) ?? defaults.Reg,
                        BatchSize = pr.GetValue(batch) ?? defaults.BatchSize, Epochs = pr.GetValue(epochs) ?? defaults.Epochs,
                        EvalEvery = pr.GetValue(evalEvery), Patience = pr.GetValue(patience), Negatives = pr.GetValue(negatives),
                        NegativePool = pr.GetValue(negativesFrom) == "trained" ? NegativePool.TrainedItems : NegativePool.AllItems,
                        Sampling = pr.GetValue(sampling) == "users" ? PairSampling.Users : PairSampling.Interactions,
                        TorchThreads = pr.GetValue(torchThreads) ?? defaults.TorchThreads,
                        Seed = pr.GetValue(seed), Device = DeviceChoice.Parse(pr.GetValue(device)!, "--device"),
                    };
                    var scorer = to.EvalEvery > 0 ? ValidationScorerFactory.Create(d, pr.GetValue(k)) : null;
                    var command = "recsys " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1));
                    result = Run(pr.GetValue(json), (t, c) => Recsys.Embeddings.Dnis.TableSearchTraining.Train(t, inputs, mo, to, runDir, c, command), catalog, scorer, cts.Token);
                }
                Print(result, runDir, pr.GetValue(json), outW);
                return result.Cancelled ? 130 : 0;
            }
            finally { Console.CancelKeyPress -= onCancel; }
        });
        return cmd;
    }

    private static TrainingResult Run(bool quiet, Func<Trainer, CancellationToken, TrainingResult> run, RecsysCatalog catalog, IValidationScorer? scorer, CancellationToken cancel)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        if (quiet || !console.Profile.Capabilities.Interactive && Console.IsErrorRedirected)
        {
            // No live bar when stderr is not a terminal: one line per finished epoch instead.
            var lines = new LineProgress(quiet ? TextWriter.Null : Console.Error);
            return run(new Trainer(catalog, scorer, lines), cancel);
        }
        TrainingResult? result = null;
        console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask("training", maxValue: 1);
                var progress = new SyncProgress(p =>
                {
                    task.MaxValue = Math.Max(1, (double)p.Epochs * p.BatchesPerEpoch);
                    task.Value = (double)(p.Epoch - 1) * p.BatchesPerEpoch + p.Batch;
                    task.Description = Markup.Escape(Describe(p));
                });
                result = run(new Trainer(catalog, scorer, progress), cancel);
                task.Value = task.MaxValue;
            });
        return result!;
    }

    private static string Describe(TrainingProgress p)
    {
        var metrics = string.Join(' ', p.LatestMetrics.Select(kv => $"{kv.Key} {kv.Value:F4}"));
        var phase = p.Phase switch { TrainingPhase.Evaluating => " evaluating", TrainingPhase.Checkpointing => " checkpoint", _ => "" };
        return $"epoch {p.Epoch}/{p.Epochs} loss {p.Loss:F4} {p.LastEpochSeconds:F1}s/epoch {metrics}{phase}";
    }

    private static void Print(TrainingResult r, string runDir, bool json, TextWriter outW)
    {
        var rec = r.Record;
        var best = rec.Evaluations.FirstOrDefault(e => e.Epoch == rec.BestEpoch)?.Metrics;
        double secs = rec.Epochs.Count == 0 ? 0 : rec.Epochs.Average(e => e.Seconds);
        if (json)
        {
            outW.WriteLine(JsonSerializer.Serialize(new
            {
                run = Path.GetFullPath(runDir), model = rec.Model.Kind, status = rec.Status, epochs = rec.Epochs.Count,
                bestEpoch = rec.BestEpoch, split = rec.EvaluatedSplit, metrics = best, secondsPerEpoch = secs,
                parameters = rec.Parameters,
                tables = rec.Tables is { } t ? new { userRows = t.UserRows, itemRows = t.ItemRows, rows = t.Rows, fullRows = t.FullRows, parameters = t.Parameters } : null,
            }));
            return;
        }
        outW.WriteLine($"{rec.Model.Kind}: {rec.Status} after {rec.Epochs.Count} epochs ({secs:F1} s/epoch on {rec.Device}); run folder {Path.GetFullPath(runDir)}");
        if (rec.Tables is { } tr && tr.Rows != tr.FullRows)
            outW.WriteLine($"tables: {tr.UserRows:N0} + {tr.ItemRows:N0} = {tr.Rows:N0} rows, {100 * tr.Reduction:F1}% fewer than full tables ({tr.FullRows:N0})");
        if (best is not null)
            outW.WriteLine($"best epoch {rec.BestEpoch} on {rec.EvaluatedSplit}: " + string.Join(", ", best.Select(kv => $"{kv.Key} {kv.Value:F4}")));
        if (r.Cancelled) outW.WriteLine($"cancelled: checkpoint written; continue with `recsys train --resume {runDir} --data DIR`.");
    }

    private sealed class SyncProgress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }

    private sealed class LineProgress(TextWriter w) : IProgress<TrainingProgress>
    {
        private int _lastEpoch;
        public void Report(TrainingProgress p)
        {
            if (p.Phase is TrainingPhase.Checkpointing or TrainingPhase.Finished && p.Epoch != _lastEpoch)
            {
                _lastEpoch = p.Epoch;
                w.WriteLine(Describe(p));
            }
        }
    }

    /// <summary>
    /// K of a resumed run's validation metric: the K of the metric it chooses epochs on (e.g. recall@10 → 10). A --k that
    /// names another K is refused: the run's best so far was measured at its own K.
    /// </summary>
    internal static int ResumeK(string? primaryMetric, int? given)
    {
        int? recorded = primaryMetric is { } m && m.LastIndexOf('@') is var at and >= 0
            && int.TryParse(m.AsSpan(at + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int v) ? v : null;
        if (given is { } g && recorded is { } r && g != r)
            throw new ArgumentException($"the run chooses epochs on {primaryMetric}; --k {g} would compare another metric with its best so far (omit --k, or pass --k {r}).", "--k");
        return given ?? recorded ?? 20;
    }
}
