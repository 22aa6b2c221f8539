using Recsys.Models;
using Recsys.Retrieval.Recommenders;
using Recsys.Training;

namespace Recsys.Eval;

/// <summary>
/// The Trainer's <see cref="IValidationScorer"/> backed by a <see cref="FullRankingEvaluator"/>: each call builds a
/// <see cref="FittedRecommender"/> (a MIPS index over the current item embeddings) from the model's snapshot and
/// returns the mean of every metric (keys like "recall@20").
/// The CLI wires it into training, so the core never references Eval.
/// </summary>
public sealed class EmbeddingValidationScorer : IValidationScorer
{
    private readonly FullRankingEvaluator _evaluator;
    private readonly EvalPipeline.IndexFactory _indexFactory;
    private readonly RecommenderData? _data;

    /// <param name="evaluator">Evaluator of the split to watch (valid, or test for fixed-split paper datasets).</param>
    /// <param name="primaryMetric">Key early stopping watches; must be one of the evaluator's metrics.</param>
    /// <param name="indexFactory">MIPS backend (default <see cref="EvalPipeline.DefaultIndex"/>).</param>
    /// <param name="data">Histories for models that encode them (none needed for models with user rows).</param>
    public EmbeddingValidationScorer(FullRankingEvaluator evaluator, string primaryMetric = "recall@20", EvalPipeline.IndexFactory? indexFactory = null,
                                     RecommenderData? data = null)
    {
        _data = data;
        _evaluator = evaluator;
        if (!evaluator.Metrics.Any(m => m.Key == primaryMetric))
            throw new ArgumentOutOfRangeException(nameof(primaryMetric),
                $"'{primaryMetric}' is not computed (have: {string.Join(", ", evaluator.Metrics.Select(m => m.Key))}).");
        PrimaryMetric = primaryMetric;
        _indexFactory = indexFactory ?? EvalPipeline.DefaultIndex;
    }

    public string PrimaryMetric { get; }

    /// <summary>
    /// The scorer training watches: the validation split when <paramref name="data"/> has one, otherwise test
    /// (the fixed-split paper datasets, as the papers do); all metrics at <paramref name="k"/>, primary recall@k.
    /// </summary>
    public static EmbeddingValidationScorer ForTraining(Recsys.Data.Dataset data, int k = 20)
    {
        bool valid = data.Valid is { Count: > 0 };
        var options = new EvaluationOptions { Ks = [k], Split = valid ? EvalSplit.Valid : EvalSplit.Test };
        return new EmbeddingValidationScorer(FullRankingEvaluator.ForDataset(data, options), $"recall@{k}", data: RecommenderData.From(data));
    }

    public string Split => _evaluator.Options.Split == EvalSplit.Valid ? "valid" : "test";

    /// <summary>The last full result (per-user values included), for reports.</summary>
    public EvaluationResult? LastResult { get; private set; }

    public IReadOnlyDictionary<string, double> Score(ModelSnapshot snapshot)
    {
        var e = snapshot.Embeddings;
        using var recommender = new FittedRecommender(snapshot, _indexFactory(e.Items, e.Dim), _data);
        LastResult = _evaluator.Evaluate(recommender);
        return LastResult.Means;
    }
}
