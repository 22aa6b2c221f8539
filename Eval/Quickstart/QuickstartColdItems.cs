using System.Diagnostics;
using Recsys.Catalog;
using Recsys.Data;
using Recsys.Data.Splits;
using Recsys.Devices;
using Recsys.Embeddings.SemanticIds.Features;
using Recsys.Models;
using Recsys.Retrieval.Recommenders;
using Recsys.Tables;
using Recsys.Tables.SemanticId;
using Recsys.Training;

namespace Recsys.Eval.Quickstart;

/// <summary>
/// The quickstart's cold-item part: a share of the graph data's items loses every training and validation interaction
/// (<see cref="ColdItemsSplit"/>, test kept whole); the items get RQ-KMeans semantic IDs from their attributes; MF is
/// trained with its ID table, a semantic-ID piece table (content only: items with the same attributes share a vector)
/// and the hybrid (n-gram rows of the codes plus an ID row), and each is scored on all test items and on the cold
/// ones — which an ID table cannot place (their rows never train) and the codes can.
/// </summary>
internal static class QuickstartColdItems
{
    /// <summary>Metric keys of the cold-item rows, besides the overall ones.</summary>
    public const string ColdPrefix = "cold ";

    private const string Model = "mf";

    public static int Steps => 4;

    public static List<QuickstartRow> Run(QuickstartOptions o, RecsysCatalog catalog, Dataset graph, string root, Action<string> report, CancellationToken cancel)
    {
        report("cold items: split and semantic IDs");
        var sw = Stopwatch.StartNew();
        var dir = Path.Combine(root, QuickstartRunner.ColdPart);
        var data = ColdItemsSplit.Apply(graph, new ColdItemsOptions { Fraction = o.ColdItems, Seed = (int)(o.Seed % int.MaxValue) });
        DatasetFolder.Write(data, Path.Combine(dir, "data"));
        var codesPath = Path.Combine(dir, "codes.arrow");
        var (codes, sha) = QuickstartCodes.Write(data, [new AttributeBlock(projectDim: 64, seed: (int)(o.Seed % int.MaxValue))], o.Seed, codesPath, cancel);
        double indexSeconds = sw.Elapsed.TotalSeconds;

        var inputs = ModelInputs.From(data);
        var known = RecommenderData.From(data, withValidation: true);
        var all = FullRankingEvaluator.ForDataset(data, new EvaluationOptions { Ks = [o.K], Split = EvalSplit.Test });
        var cold = FullRankingEvaluator.ForDataset(data, new EvaluationOptions { Ks = [o.K], Split = EvalSplit.Test, Items = HeldOutItems.Cold });
        var trainer = new Trainer(catalog, EmbeddingValidationScorer.ForTraining(data, o.K));
        var kind = catalog.Model(Model);
        // Half the items' rows, as `--item-table sid:pieces` chooses by default.
        int pieceRows = Math.Max(PieceVocabulary.BaseSize(PieceTableSpec.Sequences(codes)), data.NumItems / 2);
        var rows = new List<QuickstartRow>();
        var tables = new (string, EmbeddingTableSpec?)[]
        {
            (Model, null),
            ($"{Model}+sid:pieces", new PieceTableSpec(codesPath, sha, pieceRows)),
            ($"{Model}+sid:hybrid", new HybridTableSpec(new PrefixNgramTableSpec(codesPath, sha))),
        };
        foreach (var (label, table) in tables)
        {
            report($"cold items: {label}");
            cancel.ThrowIfCancellationRequested();
            sw.Restart();
            var modelOptions = table is null ? kind.Defaults() : kind.Defaults() with { ItemTable = table };
            var options = kind.TrainerDefaults() with
            {
                Epochs = o.Epochs, EvalEvery = o.EvalEvery, Patience = o.Patience, LearningRate = o.LearningRate,
                BatchSize = o.BatchSize, Seed = o.Seed, Device = DeviceChoice.Cpu,
                // Cold items are never negatives: an ID row would otherwise only ever be pushed down, a code row dragged.
                NegativePool = NegativePool.TrainedItems,
            };
            var runDir = Path.Combine(dir, "runs", label);
            var result = trainer.Train(inputs, modelOptions, options, runDir, cancel, command: "recsys quickstart");
            if (result.Cancelled || result.Snapshot is null) throw new OperationCanceledException();
            using var recommender = FittedRecommender.Create(result.Snapshot, known);
            var metrics = new Dictionary<string, double>();
            foreach (var (prefix, evaluator) in new[] { ("", all), (ColdPrefix, cold) })
                foreach (var (k, v) in evaluator.Evaluate(recommender, cancellation: cancel).Means)
                    if (k.StartsWith("recall@", StringComparison.Ordinal) || k.StartsWith("ndcg@", StringComparison.Ordinal)) metrics[prefix + k] = v;
            double seconds = sw.Elapsed.TotalSeconds + (table is null ? 0 : indexSeconds);
            rows.Add(new QuickstartRow(label, metrics, seconds, result.Record.BestEpoch, runDir)
                { Part = QuickstartRunner.ColdPart, EmbeddingParameters = result.Record.Tables?.Parameters });
        }
        return rows;
    }
}
