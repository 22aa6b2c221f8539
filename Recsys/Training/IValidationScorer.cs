namespace Recsys.Training;

/// <summary>
/// Scores a model's final embeddings during training (early stopping, curves). Implemented in Eval by the
/// full-ranking evaluator and wired in by the CLI, so the core never references Eval.
/// </summary>
public interface IValidationScorer
{
    /// <summary>The metric early stopping watches, e.g. "recall@20".</summary>
    string PrimaryMetric { get; }

    /// <summary>Which split is scored: "valid" or "test" (fixed-split paper datasets evaluate on test, as the papers do).</summary>
    string Split { get; }

    /// <summary>
    /// Metrics (keys like "recall@20", "ndcg@20") for user embeddings [numUsers, dim] and item embeddings
    /// [numItems, dim], both row-major.
    /// </summary>
    IReadOnlyDictionary<string, double> Score(ReadOnlySpan<float> userEmbeddings, ReadOnlySpan<float> itemEmbeddings, int dim);
}
