using System.Diagnostics;
using Recsys.Catalog;
using Recsys.Data;
using Recsys.Devices;
using Recsys.Data.Synthetic;
using Recsys.Eval.Baselines;
using Recsys.Models;
using Recsys.Retrieval.Recommenders;
using Recsys.Training;

namespace Recsys.Eval.Quickstart;

/// <summary>
/// The whole path on embedded data in one call: generate the seeded synthetic dataset (communities, power-law
/// popularity, knowledge graph), score the training-free baselines, train every model with the one
/// <see cref="Trainer"/> (early stopping on validation), and evaluate each on test with full ranking.
/// </summary>
public static class QuickstartRunner
{
    public static IReadOnlyList<QuickstartRow> Run(QuickstartOptions o, RecsysCatalog catalog, IProgress<QuickstartProgress>? progress = null, CancellationToken cancel = default)
    {
        o.Validate();
        var requested = o.Models?.Select(catalog.Model).ToList() ?? catalog.Models.ToList();
        var root = Path.GetFullPath(o.OutputFolder);
        if (Directory.Exists(root) && Directory.EnumerateFileSystemEntries(root).Any())
        {
            if (!o.Force) throw new IOException($"{o.OutputFolder} already exists and is not empty; choose another folder or pass --force.");
            Directory.Delete(root, recursive: true);
        }
        int total = 3 + requested.Count, step = 0;
        void Report(string s) => progress?.Report(new QuickstartProgress(s, ++step, total));

        Report("generating data");
        var dataDir = Path.Combine(root, "data");
        var data = SyntheticGenerator.Generate(o.Data);
        DatasetFolder.Write(data, dataDir);
        var inputs = ModelInputs.From(data);
        var train = inputs.Train;
        var test = FullRankingEvaluator.ForDataset(data, new EvaluationOptions { Ks = [o.K], Split = EvalSplit.Test });
        var rows = new List<QuickstartRow>();

        Report("popularity");
        var sw = Stopwatch.StartNew();
        var (pu, pi) = MostPopular.Embeddings(train);
        using (var pop = FittedRecommender.Create(new ModelSnapshot(new ModelEmbeddings(pu, pi, 1))))
            rows.Add(new QuickstartRow("pop", test.Evaluate(pop, cancellation: cancel).Means, sw.Elapsed.TotalSeconds, null, null));

        Report("item-knn");
        sw.Restart();
        var knn = ItemKnn.Fit(train, new ItemKnnOptions());
        rows.Add(new QuickstartRow("itemknn", test.Evaluate(knn, cancellation: cancel).Means, sw.Elapsed.TotalSeconds, null, null));

        // A kind the data cannot serve (KGAT without a knowledge graph) is skipped.
        var kinds = requested.Where(k => k.Unsupported(inputs) is null).ToList();
        total = 3 + kinds.Count;
        var trainer = new Trainer(catalog, EmbeddingValidationScorer.ForTraining(data, o.K));
        var known = RecommenderData.From(data, withValidation: true); // what each model knows when predicting test
        foreach (var kind in kinds)
        {
            Report(kind.Name);
            cancel.ThrowIfCancellationRequested();
            sw.Restart();
            var defaults = kind.TrainerDefaults();
            var options = defaults with
            {
                Epochs = o.Epochs, EvalEvery = o.EvalEvery, Patience = o.Patience, LearningRate = o.LearningRate,
                BatchSize = o.BatchSize, Seed = o.Seed, Device = DeviceChoice.Cpu,
            };
            var runDir = Path.Combine(root, "runs", kind.Name);
            var result = trainer.Train(inputs, kind.Defaults(), options, runDir, cancel, command: "recsys quickstart");
            if (result.Cancelled || result.Snapshot is null) throw new OperationCanceledException();
            using var recommender = FittedRecommender.Create(result.Snapshot, known);
            var metrics = test.Evaluate(recommender, cancellation: cancel).Means;
            rows.Add(new QuickstartRow(kind.Name, metrics, sw.Elapsed.TotalSeconds, result.Record.BestEpoch, runDir));
        }
        return rows;
    }
}
