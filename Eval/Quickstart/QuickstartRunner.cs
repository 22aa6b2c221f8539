using System.Diagnostics;
using Recsys.Data;
using Recsys.Devices;
using Recsys.Data.Synthetic;
using Recsys.Eval.Baselines;
using Recsys.Models;
using Recsys.Training;

namespace Recsys.Eval.Quickstart;

/// <summary>
/// The whole path on embedded data in one call: generate the seeded synthetic dataset (communities, power-law
/// popularity, knowledge graph), score the training-free baselines, train every model with the one
/// <see cref="Trainer"/> (early stopping on validation), and evaluate each on test with full ranking.
/// </summary>
public static class QuickstartRunner
{
    public static IReadOnlyList<QuickstartRow> Run(QuickstartOptions o, IProgress<QuickstartProgress>? progress = null, CancellationToken cancel = default)
    {
        o.Validate();
        var root = Path.GetFullPath(o.OutputFolder);
        if (Directory.Exists(root) && Directory.EnumerateFileSystemEntries(root).Any())
        {
            if (!o.Force) throw new IOException($"{o.OutputFolder} already exists and is not empty; choose another folder or pass --force.");
            Directory.Delete(root, recursive: true);
        }
        int total = 3 + o.Models.Count, step = 0;
        void Report(string s) => progress?.Report(new QuickstartProgress(s, ++step, total));

        Report("generating data");
        var dataDir = Path.Combine(root, "data");
        var data = SyntheticGenerator.Generate(o.Data);
        DatasetFolder.Write(data, dataDir);
        var train = InteractionMatrix.From(data.Train, data.NumUsers, data.NumItems);
        var test = FullRankingEvaluator.ForDataset(data, new EvaluationOptions { Ks = [o.K], Split = EvalSplit.Test });
        var rows = new List<QuickstartRow>();

        Report("popularity");
        var sw = Stopwatch.StartNew();
        var (pu, pi) = MostPopular.Embeddings(train);
        using (var index = EvalPipeline.DefaultIndex(pi, 1))
            rows.Add(new QuickstartRow("pop", test.Evaluate(index, pu, cancellation: cancel).Means, sw.Elapsed.TotalSeconds, null, null));

        Report("item-knn");
        sw.Restart();
        var knn = ItemKnn.Fit(train, new ItemKnnOptions());
        rows.Add(new QuickstartRow("itemknn", test.Evaluate(knn, cancellation: cancel).Means, sw.Elapsed.TotalSeconds, null, null));

        // KGAT needs the knowledge graph; it runs whenever the generated data has one.
        var kinds = o.Models.Where(k => k != "kgat" || data.Knowledge is not null).ToList();
        total = 3 + kinds.Count;
        foreach (var kind in kinds)
        {
            Report(kind);
            cancel.ThrowIfCancellationRequested();
            sw.Restart();
            var model = ModelOptions.ForKind(kind);
            var options = TrainerOptions.PaperDefaults(model.Kind) with
            {
                Epochs = o.Epochs, EvalEvery = o.EvalEvery, Patience = o.Patience, LearningRate = o.LearningRate,
                BatchSize = o.BatchSize, Seed = o.Seed, Device = DeviceChoice.Cpu,
            };
            var runDir = Path.Combine(root, "runs", model.Kind);
            var result = new Trainer(EmbeddingValidationScorer.ForTraining(data, o.K)) { Knowledge = data.Knowledge }.Train(train, data.Name, model, options, runDir, cancel,
                command: "recsys quickstart");
            if (result.Cancelled || result.Embeddings is null) throw new OperationCanceledException();
            var e = result.Embeddings;
            using var index = EvalPipeline.DefaultIndex(e.Items, e.Dim);
            var metrics = test.Evaluate(index, e.Users, cancellation: cancel).Means;
            rows.Add(new QuickstartRow(model.Kind, metrics, sw.Elapsed.TotalSeconds, result.Record.BestEpoch, runDir));
        }
        return rows;
    }
}
