using TorchSharp;
using System.Diagnostics;
using Recsys.Data;
using Recsys.Devices;
using Recsys.Models;
using Recsys.Tables;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Recsys.Training;

/// <summary>Outcome of a training call: the run record, the embeddings saved in the run folder, and whether it was cancelled.</summary>
public sealed record TrainingResult(RunRecord Record, ModelEmbeddings? Embeddings, bool Cancelled);

/// <summary>
/// The one training loop for every <see cref="IRecommenderModel"/> (DESIGN.md): seeded BPR sampling
/// (<see cref="BprSampler"/>), Adam, the model's BPR + L2 loss, evaluation every N epochs through an
/// <see cref="IValidationScorer"/>, early stopping with patience on its primary metric, progress reports,
/// cancellation (writes a checkpoint), atomic checkpoints and exact resume.
/// The run folder keeps the best evaluated epoch (or the last one when nothing is evaluated).
/// <c>tableGraph</c> serves hashed tables that need graph clustering or side features (Recsys.Embeddings implements it).
/// </summary>
public sealed class Trainer(IValidationScorer? scorer = null, IProgress<TrainingProgress>? progress = null, ITableGraphSource? tableGraph = null)
{
    /// <summary>The item knowledge graph handed to models that use one (KGAT); null when the data has none.</summary>
    public KnowledgeTriples? Knowledge { get; init; }

    /// <summary>Trains a new model into the empty or missing folder <paramref name="runDir"/>.</summary>
    public TrainingResult Train(InteractionMatrix train, string dataName, ModelOptions modelOptions, TrainerOptions options,
                                string runDir, CancellationToken cancel = default, string? command = null)
    {
        options.Validate();
        modelOptions.Validate();
        var run = new RunFolder(runDir);
        if (run.HasRecord) throw new IOException($"{run.Path} already holds a run; resume it or choose another folder.");
        Directory.CreateDirectory(run.Path);
        var device = options.Device.Resolve();
        using var model = modelOptions.Create(train, Knowledge, options.Seed, tableGraph);
        model.Module.to(device);
        var record = new RunRecord
        {
            Model = modelOptions, Trainer = options, Data = DataFingerprint.Of(dataName, train), Tables = model.Tables,
            Command = command, Device = device.type == TorchSharp.DeviceType.CUDA ? DeviceChoice.Cuda() : DeviceChoice.Cpu,
            EvaluatedSplit = options.EvalEvery > 0 ? scorer?.Split : null,
            PrimaryMetric = options.EvalEvery > 0 ? scorer?.PrimaryMetric : null,
        };
        var state = new TrainingState { EpochStartRng = new Xoshiro256(options.Seed).GetState() };
        using var optimizer = new Adam(model.Module.parameters(), options.LearningRate);
        run.WriteRecord(record);
        return Loop(train, model, optimizer, options, record, state, run, device, cancel);
    }

    /// <summary>
    /// Continues the run in <paramref name="runDir"/> from its checkpoint, exactly where it stopped; with
    /// <paramref name="epochs"/> the total epoch count changes (e.g. to train longer), with
    /// <paramref name="torchThreads"/> libtorch's CPU thread count (speed only; run.json records the new value).
    /// </summary>
    public TrainingResult Resume(InteractionMatrix train, string runDir, int? epochs = null, CancellationToken cancel = default, int? torchThreads = null)
    {
        var run = new RunFolder(runDir);
        var (state, record) = Checkpoint.Read(run.CheckpointDir);
        var fp = DataFingerprint.Of(record.Data.Name, train);
        if (fp != record.Data)
            throw new InvalidDataException($"{run.Path}: the run was trained on other data (sha256 {record.Data.TrainSha256[..12]}…, these are {fp.TrainSha256[..12]}…).");
        var options = record.Trainer with
        {
            Epochs = epochs ?? record.Trainer.Epochs,
            TorchThreads = torchThreads ?? record.Trainer.TorchThreads,
        };
        options.Validate();
        record = record with { Trainer = options };
        record.Status = "running";
        var device = options.Device.Resolve();
        using var model = record.Model.Create(train, Knowledge, options.Seed, tableGraph);
        model.Module.to(device);
        record.Tables ??= model.Tables; // checkpoints written before run.json recorded table sizes
        using var optimizer = new Adam(model.Module.parameters(), options.LearningRate);
        Checkpoint.Load(run.CheckpointDir, model.Module, optimizer);
        if (state.ModelRng is { } mr) model.RestoreRandomState(mr);
        return Loop(train, model, optimizer, options, record, state, run, device, cancel);
    }

    private TrainingResult Loop(InteractionMatrix train, IRecommenderModel model, OptimizerHelper optimizer, TrainerOptions o,
                                RunRecord record, TrainingState state, RunFolder run, Device device, CancellationToken cancel)
    {
        using var threads = TorchThreadLimit.ForCpu(device, o.TorchThreads);
        var sampler = new BprSampler(train, o.Negatives, o.NegativePool, o.Sampling);
        int pairs = sampler.PairsPerEpoch;
        int batches = (pairs + o.BatchSize - 1) / o.BatchSize;
        if (o.MaxBatchesPerEpoch > 0) batches = Math.Min(batches, o.MaxBatchesPerEpoch);
        var rng = Xoshiro256.FromState(state.EpochStartRng);
        IReadOnlyDictionary<string, double> latest = record.Evaluations.Count > 0 ? record.Evaluations[^1].Metrics : new Dictionary<string, double>();
        double lastSeconds = record.Epochs.Count > 0 ? record.Epochs[^1].Seconds : 0;
        ModelEmbeddings? saved = null;
        bool stop = false;

        while (state.Epoch < o.Epochs && !stop)
        {
            int epoch = state.Epoch + 1;
            var epochStart = rng;
            var samples = sampler.SampleEpoch(ref rng);
            double lossSum = state.LossSum;
            var clock = Stopwatch.StartNew();
            model.Module.train(true);
            for (int b = state.NextBatch; b < batches; b++)
            {
                if (cancel.IsCancellationRequested)
                {
                    state = state with
                    {
                        NextBatch = b, EpochStartRng = epochStart.GetState(), LossSum = lossSum,
                        PartialSeconds = state.PartialSeconds + clock.Elapsed.TotalSeconds, ModelRng = model.SaveRandomState(),
                    };
                    record.Status = "cancelled";
                    Report(TrainingPhase.Checkpointing, epoch, o.Epochs, b, batches, lossSum / Math.Max(1, b), lastSeconds, latest);
                    Checkpoint.Write(run.CheckpointDir, model.Module, optimizer, state, record);
                    run.WriteRecord(record);
                    return new TrainingResult(record, saved, Cancelled: true);
                }
                lossSum += Step(model, optimizer, samples, b, o, device);
                if ((b & 7) == 7 || b == batches - 1)
                    Report(TrainingPhase.Training, epoch, o.Epochs, b + 1, batches, lossSum / (b + 1), lastSeconds, latest);
            }
            // Alternating training (KGAT's TransR phase): runs after the BPR batches, inside the epoch's time.
            if (model is IAuxiliaryPhase aux) AuxiliaryPhaseRunner.RunEpoch(aux, model.Module, optimizer, ref rng, device);
            lastSeconds = state.PartialSeconds + clock.Elapsed.TotalSeconds;
            record.Epochs.Add(new EpochRecord(epoch, lossSum / batches, lastSeconds));
            int bad = state.BadEvaluations;

            bool evalDue = scorer is not null && o.EvalEvery > 0 && (epoch % o.EvalEvery == 0 || epoch == o.Epochs);
            if (evalDue)
            {
                Report(TrainingPhase.Evaluating, epoch, o.Epochs, batches, batches, lossSum / batches, lastSeconds, latest);
                var evalClock = Stopwatch.StartNew();
                var emb = model.Embeddings();
                var metrics = new Dictionary<string, double>(scorer!.Score(emb.Users, emb.Items, emb.Dim));
                record.Evaluations.Add(new EvaluationRecord(epoch, metrics, evalClock.Elapsed.TotalSeconds));
                latest = metrics;
                double value = metrics.TryGetValue(scorer.PrimaryMetric, out var v) ? v
                    : throw new InvalidOperationException($"the scorer did not return its primary metric '{scorer.PrimaryMetric}'.");
                if (record.BestValue is null || value > record.BestValue)
                {
                    record.BestValue = value; record.BestEpoch = epoch; record.SavedEpoch = epoch; bad = 0;
                    run.WriteModel(model.Module, emb);
                    saved = emb;
                }
                else if (o.Patience > 0 && ++bad >= o.Patience)
                {
                    stop = true;
                    record.Status = "early-stopped";
                }
            }
            state = new TrainingState
            {
                Epoch = epoch, NextBatch = 0, EpochStartRng = rng.GetState(), BadEvaluations = bad,
                ModelRng = model.SaveRandomState(),
            };
            bool last = stop || epoch == o.Epochs;
            if (last && record.Status == "running") record.Status = "completed";
            if (last && (scorer is null || o.EvalEvery == 0))
            {
                saved = model.Embeddings();
                record.SavedEpoch = epoch;
                run.WriteModel(model.Module, saved);
            }
            if (last || epoch % o.CheckpointEvery == 0)
            {
                Report(TrainingPhase.Checkpointing, epoch, o.Epochs, batches, batches, lossSum / batches, lastSeconds, latest);
                Checkpoint.Write(run.CheckpointDir, model.Module, optimizer, state, record);
            }
            run.WriteRecord(record);
            NativeHeap.Trim();
        }
        if (state.Epoch >= o.Epochs && record.Status == "running")
        {
            record.Status = "completed";
            run.WriteRecord(record);
        }
        Report(TrainingPhase.Finished, state.Epoch, o.Epochs, batches, batches, record.Epochs.Count > 0 ? record.Epochs[^1].Loss : 0, lastSeconds, latest);
        return new TrainingResult(record, saved, Cancelled: false);
    }

    /// <summary>One Adam step on batch <paramref name="b"/> of the epoch's samples; returns its loss.</summary>
    private static double Step(IRecommenderModel model, OptimizerHelper optimizer, EpochSamples s, int b, TrainerOptions o, Device device)
    {
        int start = b * o.BatchSize, end = Math.Min(s.Count, start + o.BatchSize);
        int k = s.NegativesPerPair;
        using var quiet = GcQuiet.Enter();
        using var scope = NewDisposeScope();
        var batch = new BprBatch(s.Users[start..end], s.Positives[start..end], s.Negatives[(start * k)..(end * k)], device);
        optimizer.zero_grad();
        var loss = model.Loss(batch, o.Reg);
        loss.backward();
        optimizer.step();
        return loss.item<float>();
    }

    private void Report(TrainingPhase phase, int epoch, int epochs, int batch, int batches, double loss, double lastSeconds,
                        IReadOnlyDictionary<string, double> metrics) =>
        progress?.Report(new TrainingProgress(phase, epoch, epochs, batch, batches, loss, lastSeconds, metrics));
}
