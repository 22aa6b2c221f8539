using System.Diagnostics;
using TorchSharp;
using Recsys.Catalog;
using Recsys.Devices;
using Recsys.Models;
using Recsys.Training.Objectives;
using static TorchSharp.torch;

namespace Recsys.Training;

/// <summary>Outcome of a training call: the run record, the snapshot saved in the run folder, and whether it was cancelled.</summary>
public sealed record TrainingResult(RunRecord Record, ModelSnapshot? Snapshot, bool Cancelled)
{
    /// <summary>The saved snapshot's embeddings (null when nothing was saved).</summary>
    public ModelEmbeddings? Embeddings => Snapshot?.Embeddings;
}

/// <summary>
/// The one training loop for every <see cref="IRecommenderModel"/> (DESIGN.md): each epoch runs the model's phases
/// (<see cref="ITrainingPhase"/>: its batch sources and losses) in order, each stepping the Adam of its
/// <see cref="ParameterGroup"/>; evaluation every N epochs through an <see cref="IValidationScorer"/> on the model's
/// <see cref="ModelSnapshot"/>, early stopping with patience on its primary metric, progress reports, cancellation
/// (writes a checkpoint), atomic checksummed checkpoints and exact resume, a lock on the run folder, and a stop with
/// <see cref="TrainingDivergedException"/> when a loss is not finite. The run folder keeps the best evaluated epoch
/// (or the last one when nothing is evaluated).
/// </summary>
public sealed class Trainer(RecsysCatalog catalog, IValidationScorer? scorer = null, IProgress<TrainingProgress>? progress = null)
{
    /// <summary>The metric evaluations choose epochs on (e.g. "recall@20"), null without a validation scorer.</summary>
    public string? PrimaryMetric => scorer?.PrimaryMetric;
    /// <summary>The catalog the trainer builds models and reads records with.</summary>
    public RecsysCatalog Catalog => catalog;

    /// <summary>Trains a new model on <paramref name="inputs"/> into the empty or missing folder <paramref name="runDir"/>.</summary>
    public TrainingResult Train(ModelInputs inputs, ModelOptions modelOptions, TrainerOptions options,
                                string runDir, CancellationToken cancel = default, string? command = null)
    {
        options.Validate();
        modelOptions.Validate();
        catalog.ModelOf(modelOptions); // unregistered options could not be written to run.json
        var run = new RunFolder(runDir);
        if (run.HasRecord) throw new IOException($"{run.Path}: already holds a run; resume it or choose another folder.");
        bool created = !Directory.Exists(run.Path);
        Directory.CreateDirectory(run.Path);
        RunFolderLock? runLock;
        try { runLock = RunFolderLock.Acquire(run.Path); }
        catch (IOException)
        {
            // Another writer holds the folder (it may have created it a moment after we did): leave its files alone.
            if (created) try { Directory.Delete(run.Path, recursive: false); } catch (IOException) { }
            throw;
        }
        try
        {
            var device = options.Device.Resolve();
            using var model = modelOptions.Create(inputs, options.Seed);
            if (options.InitialWeights is { } initial) RunFolder.LoadModule(initial, model.Module);
            model.Module.to(device);
            var record = new RunRecord
            {
                Model = modelOptions, Trainer = options, Data = DataFingerprint.Of(inputs), Tables = model.Tables,
                Parameters = model.ParameterCount,
                Command = command, Device = device.type == TorchSharp.DeviceType.CUDA ? DeviceChoice.Cuda() : DeviceChoice.Cpu,
                EvaluatedSplit = options.EvalEvery > 0 ? scorer?.Split : null,
                PrimaryMetric = options.EvalEvery > 0 ? scorer?.PrimaryMetric : null,
            };
            var state = new TrainingState { EpochStartRng = new Xoshiro256(options.Seed).GetState() };
            using var optimizers = new Optimizers(model.ParameterGroups(options));
            run.WriteRecord(record, catalog);
            created = false; // from here on the folder holds a run
            return Loop(inputs, model, optimizers, options, record, state, run, device, cancel);
        }
        catch when (created)
        {
            // We created the folder and hold its lock, so what is in it is ours: leave no half-started run behind.
            try
            {
                foreach (var e in Directory.EnumerateFileSystemEntries(run.Path).Where(e => !Path.GetFileName(e).StartsWith(RunFolderLock.FileName, StringComparison.Ordinal)))
                    if (Directory.Exists(e)) Directory.Delete(e, recursive: true); else File.Delete(e);
                runLock.Dispose();
                runLock = null;
                Directory.Delete(run.Path, recursive: false);
            }
            catch (IOException) { /* best effort; another writer may have taken the emptied folder */ }
            throw;
        }
        finally { runLock?.Dispose(); }
    }

    /// <summary>
    /// Continues the run in <paramref name="runDir"/> from its checkpoint, exactly where it stopped; with
    /// <paramref name="epochs"/> the total epoch count changes (e.g. to train longer), with
    /// <paramref name="torchThreads"/> libtorch's CPU thread count (speed only; run.json records the new value).
    /// The inputs must be the ones the run was trained on (training and, when recorded, validation fingerprints).
    /// </summary>
    public TrainingResult Resume(ModelInputs inputs, string runDir, int? epochs = null, CancellationToken cancel = default, int? torchThreads = null)
    {
        var run = new RunFolder(runDir);
        if (!Directory.Exists(run.Path)) throw new DirectoryNotFoundException($"{run.Path}: run folder not found.");
        using var runLock = RunFolderLock.Acquire(run.Path);
        run.RecoverFromInterruptedWrites();
        var (state, record) = Checkpoint.Read(run.CheckpointDir, catalog);
        record.Data.CheckSameData(DataFingerprint.Of(inputs), run.Path);
        var options = record.Trainer with
        {
            Epochs = epochs ?? record.Trainer.Epochs,
            TorchThreads = torchThreads ?? record.Trainer.TorchThreads,
        };
        options.Validate();
        // Early stopping compares each evaluation with the run's best so far: a scorer reporting another metric (say
        // recall@20 for a run chosen on recall@10) would compare unlike numbers and pick the wrong epoch.
        if (options.EvalEvery > 0 && scorer is not null && record.PrimaryMetric is { } primary && scorer.PrimaryMetric != primary)
            throw new ArgumentException($"{run.Path}: the run chooses epochs on {primary}, but the validation scorer reports {scorer.PrimaryMetric}; resume with the run's K.", nameof(scorer));
        record = record with { Trainer = options };
        record.Status = RunStatus.Running;
        var device = options.Device.Resolve();
        using var model = record.Model.Create(inputs, options.Seed);
        model.Module.to(device);
        record.Tables ??= model.Tables; // checkpoints written before run.json recorded table sizes
        record.Parameters ??= model.ParameterCount;
        using var optimizers = new Optimizers(model.ParameterGroups(options));
        Checkpoint.Load(run.CheckpointDir, model.Module, optimizers);
        if (state.ModelRng is { } mr) model.RestoreRandomState(mr);
        return Loop(inputs, model, optimizers, options, record, state, run, device, cancel);
    }

    private TrainingResult Loop(ModelInputs inputs, IRecommenderModel model, Optimizers optimizers, TrainerOptions o,
                                RunRecord record, TrainingState state, RunFolder run, Device device, CancellationToken cancel)
    {
        using var threads = TorchThreadLimit.ForCpu(device, o.TorchThreads);
        var phases = model.Phases(inputs, o);
        if (phases.Count == 0) throw new InvalidOperationException($"model '{model.Kind}' has no training phase.");
        foreach (var p in phases) optimizers.Check(p);
        var rng = Xoshiro256.FromState(state.EpochStartRng);
        IReadOnlyDictionary<string, double> latest = record.Evaluations.Count > 0 ? record.Evaluations[^1].Metrics : new Dictionary<string, double>();
        double lastSeconds = record.Epochs.Count > 0 ? record.Epochs[^1].Seconds : 0;
        ModelSnapshot? saved = null;
        bool stop = false;
        int batches = 0;

        while (state.Epoch < o.Epochs && !stop)
        {
            int epoch = state.Epoch + 1;
            var epochStart = rng;
            // An epoch's seconds are its steps (and later phases whole): the first phase's draws are not timed, as
            // run.json has always recorded them, so figures stay comparable across versions.
            var clock = new Stopwatch();
            double mainLoss = 0;
            model.Module.train(true);
            for (int ph = 0; ph < phases.Count; ph++)
            {
                var phase = phases[ph];
                bool resumed = ph == state.Phase && (state.NextBatch > 0 || state.Phase > 0);
                if (ph < state.Phase)
                {
                    int drawn = phase.Begin(ref rng); // replays the draws of a phase finished before the checkpoint
                    if (ph == 0) batches = drawn;
                    continue;
                }
                // Parameters one phase does not use keep no gradient into the next (Adam would move a zeroed one by momentum).
                if (ph > 0 && !resumed) ClearGradients(model);
                int n = phase.Begin(ref rng);
                clock.Start();
                if (ph == 0) batches = n;
                double lossSum = resumed ? state.LossSum : 0;
                for (int b = resumed ? state.NextBatch : 0; b < n; b++)
                {
                    if (cancel.IsCancellationRequested)
                    {
                        state = state with
                        {
                            Phase = ph, NextBatch = b, EpochStartRng = epochStart.GetState(), LossSum = lossSum, MainLoss = ph == 0 ? lossSum : mainLoss,
                            PartialSeconds = state.PartialSeconds + clock.Elapsed.TotalSeconds, ModelRng = model.SaveRandomState(),
                        };
                        record.Status = RunStatus.Cancelled;
                        Report(TrainingPhase.Checkpointing, epoch, o.Epochs, b, n, lossSum / Math.Max(1, b), lastSeconds, latest);
                        Checkpoint.Write(run.CheckpointDir, model.Module, optimizers, state, record, catalog);
                        run.WriteRecord(record, catalog);
                        return new TrainingResult(record, saved, Cancelled: true);
                    }
                    if (o.Schedule is { } schedule) optimizers.Scale(phase.Optimizer, schedule.Factor((long)(epoch - 1) * n + b, (long)o.Epochs * n));
                    double loss = Step(phase, optimizers[phase.Optimizer], b, device);
                    if (!double.IsFinite(loss))
                    {
                        record.Status = RunStatus.Diverged;
                        run.WriteRecord(record, catalog);
                        throw new TrainingDivergedException(epoch, phase.Name, b, loss);
                    }
                    lossSum += loss;
                    if (ph == 0 && ((b & 7) == 7 || b == n - 1))
                        Report(TrainingPhase.Training, epoch, o.Epochs, b + 1, n, lossSum / (b + 1), lastSeconds, latest);
                }
                if (ph == 0) mainLoss = lossSum;
                else if (resumed) mainLoss = state.MainLoss;
                if (ph > 0 && ph == phases.Count - 1) ClearGradients(model);
                phase.End();
                if (ph == state.Phase && resumed) state = state with { NextBatch = 0, Phase = 0 };
            }
            lastSeconds = state.PartialSeconds + clock.Elapsed.TotalSeconds;
            record.Epochs.Add(new EpochRecord(epoch, mainLoss / Math.Max(1, batches), lastSeconds));
            int bad = state.BadEvaluations;

            bool evalDue = scorer is not null && o.EvalEvery > 0 && (epoch % o.EvalEvery == 0 || epoch == o.Epochs);
            if (evalDue)
            {
                Report(TrainingPhase.Evaluating, epoch, o.Epochs, batches, batches, mainLoss / Math.Max(1, batches), lastSeconds, latest);
                var evalClock = Stopwatch.StartNew();
                var snapshot = model.Snapshot();
                var metrics = new Dictionary<string, double>(scorer!.Score(snapshot));
                record.Evaluations.Add(new EvaluationRecord(epoch, metrics, evalClock.Elapsed.TotalSeconds));
                latest = metrics;
                double value = metrics.TryGetValue(scorer.PrimaryMetric, out var v) ? v
                    : throw new InvalidOperationException($"the scorer did not return its primary metric '{scorer.PrimaryMetric}'.");
                if (record.BestValue is null || value > record.BestValue)
                {
                    record.BestValue = value; record.BestEpoch = epoch; record.SavedEpoch = epoch; bad = 0;
                    run.WriteModel(model.Module, snapshot.Embeddings);
                    saved = snapshot;
                }
                else if (o.Patience > 0 && ++bad >= o.Patience)
                {
                    stop = true;
                    record.Status = RunStatus.EarlyStopped;
                }
            }
            state = new TrainingState
            {
                Epoch = epoch, NextBatch = 0, EpochStartRng = rng.GetState(), BadEvaluations = bad,
                ModelRng = model.SaveRandomState(),
            };
            bool last = stop || epoch == o.Epochs;
            if (last && record.Status == RunStatus.Running) record.Status = RunStatus.Completed;
            if (last && (scorer is null || o.EvalEvery == 0))
            {
                saved = model.Snapshot();
                record.SavedEpoch = epoch;
                run.WriteModel(model.Module, saved.Embeddings);
            }
            if (last || epoch % o.CheckpointEvery == 0)
            {
                Report(TrainingPhase.Checkpointing, epoch, o.Epochs, batches, batches, mainLoss / Math.Max(1, batches), lastSeconds, latest);
                Checkpoint.Write(run.CheckpointDir, model.Module, optimizers, state, record, catalog);
            }
            run.WriteRecord(record, catalog);
            NativeHeap.Trim();
        }
        if (state.Epoch >= o.Epochs && record.Status == RunStatus.Running)
        {
            record.Status = RunStatus.Completed;
            run.WriteRecord(record, catalog);
        }
        Report(TrainingPhase.Finished, state.Epoch, o.Epochs, batches, batches, record.Epochs.Count > 0 ? record.Epochs[^1].Loss : 0, lastSeconds, latest);
        return new TrainingResult(record, saved, Cancelled: false);
    }

    /// <summary>One optimizer step on batch <paramref name="b"/> of <paramref name="phase"/>; returns its loss.</summary>
    private static double Step(ITrainingPhase phase, TorchSharp.Modules.OptimizerHelper optimizer, int b, Device device)
    {
        using var quiet = GcQuiet.Enter();
        using var scope = NewDisposeScope();
        optimizer.zero_grad();
        var loss = phase.Loss(b, device);
        loss.backward();
        optimizer.step();
        return loss.item<float>();
    }

    private static void ClearGradients(IRecommenderModel model)
    {
        foreach (var p in model.Module.parameters())
        {
            p.grad?.Dispose();
            p.grad = null;
        }
    }

    private void Report(TrainingPhase phase, int epoch, int epochs, int batch, int batches, double loss, double lastSeconds,
                        IReadOnlyDictionary<string, double> metrics) =>
        progress?.Report(new TrainingProgress(phase, epoch, epochs, batch, batches, loss, lastSeconds, metrics));
}
