using System.Diagnostics;
using Recsys.Catalog;
using Recsys.Data;
using Recsys.Devices;
using Recsys.Embeddings.Dnis;
using Recsys.Embeddings.SemanticIds.Features;
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
    /// <summary>The graph part: the community dataset with a knowledge graph, K = <see cref="QuickstartOptions.K"/>.</summary>
    public const string GraphPart = "graph";
    /// <summary>The cold-item part: the graph data with a share of items held out of training (<see cref="QuickstartColdItems"/>).</summary>
    public const string ColdPart = "cold-items";
    /// <summary>The sequential part: synthetic sequences with attributes, leave-one-out.</summary>
    public const string SequencePart = "sequences";

    public static IReadOnlyList<QuickstartRow> Run(QuickstartOptions o, RecsysCatalog catalog, IProgress<QuickstartProgress>? progress = null, CancellationToken cancel = default)
    {
        o.Validate();
        var requested = o.Models?.Select(m => catalog.Model(m)).ToList() ?? catalog.Models.ToList();
        var root = Path.GetFullPath(o.OutputFolder);
        if (Directory.Exists(root) && Directory.EnumerateFileSystemEntries(root).Any())
        {
            if (!o.Force) throw new IOException($"{o.OutputFolder} already exists and is not empty; choose another folder or pass --force.");
            Directory.Delete(root, recursive: true);
        }
        var sequential = o.SequentialModels.Select(m => QuickstartSequentialModel.Parse(m, catalog)).ToList();
        int cold = o.ColdItems > 0 ? QuickstartColdItems.Steps : 0;
        // Generating, popularity, item-kNN, each model, and indexing once for the models that read semantic IDs.
        int seq = sequential.Count == 0 ? 0 : 3 + sequential.Count + (sequential.Any(m => m.Options() is ICodesModelOptions { HasCodes: false }) ? 1 : 0);
        int total = 3 + requested.Count + o.Variants.Count + cold + seq, step = 0;
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
        var variants = o.Variants.Select(v => (Variant: v, Kind: catalog.Model(v.Model))).Where(v => v.Kind.Unsupported(inputs) is null).ToList();
        total = 3 + kinds.Count + variants.Count + cold + seq;
        var trainer = new Trainer(catalog, EmbeddingValidationScorer.ForTraining(data, o.K));
        var known = RecommenderData.From(data, withValidation: true); // what each model knows when predicting test
        QuickstartRow TrainRow(string label, ModelKind kind, ModelOptions modelOptions)
        {
            Report(label);
            cancel.ThrowIfCancellationRequested();
            sw.Restart();
            var options = kind.TrainerDefaults() with
            {
                Epochs = o.Epochs, EvalEvery = o.EvalEvery, Patience = o.Patience, LearningRate = o.LearningRate,
                BatchSize = o.BatchSize, Seed = o.Seed, Device = DeviceChoice.Cpu,
            };
            var runDir = Path.Combine(root, "runs", label);
            var result = TableSearchTraining.Train(trainer, inputs, modelOptions, options, runDir, cancel, command: "recsys quickstart");
            if (result.Cancelled || result.Snapshot is null) throw new OperationCanceledException();
            using var recommender = FittedRecommender.Create(result.Snapshot, known);
            var metrics = test.Evaluate(recommender, cancellation: cancel).Means;
            return new QuickstartRow(label, metrics, sw.Elapsed.TotalSeconds, result.Record.BestEpoch, runDir) { EmbeddingParameters = result.Record.Tables?.Parameters };
        }
        foreach (var kind in kinds) rows.Add(TrainRow(kind.Name, kind, kind.Defaults()));
        foreach (var (variant, kind) in variants) rows.Add(TrainRow(variant.Label, kind, variant.Tables(kind.Defaults())));
        if (o.ColdItems > 0) rows.AddRange(QuickstartColdItems.Run(o, catalog, data, root, Report, cancel));
        if (sequential.Count > 0) rows.AddRange(Sequences(o, catalog, sequential, root, Report, cancel));
        return rows;
    }

    /// <summary>The sequential part: generate sequences, score the baselines, train and evaluate each sequential kind.</summary>
    private static List<QuickstartRow> Sequences(QuickstartOptions o, RecsysCatalog catalog, List<QuickstartSequentialModel> models, string root, Action<string> report, CancellationToken cancel)
    {
        report("generating sequences");
        var dataDir = Path.Combine(root, SequencePart, "data");
        var data = SequenceGenerator.Generate(o.Sequences with { Seed = (int)(o.Seed % int.MaxValue) });
        DatasetFolder.Write(data, dataDir);
        var inputs = ModelInputs.From(data);
        var known = RecommenderData.From(data, withValidation: true);
        var test = FullRankingEvaluator.ForDataset(data, new EvaluationOptions { Ks = [o.SequenceK], Split = EvalSplit.Test });
        var rows = new List<QuickstartRow>();

        report("sequences: popularity");
        var sw = Stopwatch.StartNew();
        var (pu, pi) = MostPopular.Embeddings(inputs.Train);
        using (var pop = FittedRecommender.Create(new ModelSnapshot(new ModelEmbeddings(pu, pi, 1)), known))
            rows.Add(new QuickstartRow("pop", test.Evaluate(pop, cancellation: cancel).Means, sw.Elapsed.TotalSeconds, null, null) { Part = SequencePart });

        report("sequences: item-knn");
        sw.Restart();
        var knn = ItemKnn.Fit(inputs.Train, new ItemKnnOptions());
        rows.Add(new QuickstartRow("itemknn", test.Evaluate(knn, cancellation: cancel).Means, sw.Elapsed.TotalSeconds, null, null) { Part = SequencePart });

        var trainer = new Trainer(catalog, EmbeddingValidationScorer.ForTraining(data, o.SequenceK));
        (string Path, string Sha256)? codes = null;
        foreach (var (label, kind, entry) in models.Where(m => m.Kind.Unsupported(inputs) is null).Select(m => (m.Label, m.Kind, m.Options())))
        {
            var model = entry;
            if (model is ICodesModelOptions { HasCodes: false } needsCodes)
            {
                // Generative models read semantic IDs: the sequences' items indexed once, by attributes and co-occurrence.
                if (codes is null)
                {
                    report("sequences: semantic IDs");
                    var path = Path.Combine(root, SequencePart, "codes.arrow");
                    int seed = (int)(o.Seed % int.MaxValue);
                    IItemFeatureBlock[] blocks = [new AttributeBlock(projectDim: 64, seed: seed), new GraphBlock(false, GraphBlock.DefaultOptions with { Dim = 64, Seed = seed })];
                    codes = (path, QuickstartCodes.Write(data, blocks, o.Seed, path, cancel).Sha256);
                }
                model = needsCodes.WithCodes(codes.Value.Path, codes.Value.Sha256);
            }
            report($"sequences: {label}");
            cancel.ThrowIfCancellationRequested();
            sw.Restart();
            var options = kind.TrainerDefaults() with
            {
                Epochs = o.SequenceEpochs, EvalEvery = o.EvalEvery, Patience = o.Patience, Seed = o.Seed, Device = DeviceChoice.Cpu,
            };
            var runDir = Path.Combine(root, SequencePart, "runs", label);
            var result = trainer.Train(inputs, model, options, runDir, cancel, command: "recsys quickstart");
            if (result.Cancelled || result.Snapshot is null) throw new OperationCanceledException();
            using var recommender = FittedRecommender.Create(result.Snapshot, known);
            rows.Add(new QuickstartRow(label, test.Evaluate(recommender, cancellation: cancel).Means, sw.Elapsed.TotalSeconds, result.Record.BestEpoch, runDir)
                { Part = SequencePart, EmbeddingParameters = result.Record.Tables?.Parameters });
        }
        return rows;
    }
}
