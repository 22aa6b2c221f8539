namespace Recsys.Training;

/// <summary>
/// Scores a model during training (early stopping, curves). Implemented in Eval by the
/// full-ranking evaluator and wired in by the CLI, so the core never references Eval.
/// </summary>
public interface IValidationScorer
{
    /// <summary>The metric early stopping watches, e.g. "recall@20".</summary>
    string PrimaryMetric { get; }

    /// <summary>Which split is scored: "valid" or "test" (fixed-split paper datasets evaluate on test, as the papers do).</summary>
    string Split { get; }

    /// <summary>
    /// Metrics (keys like "recall@20", "ndcg@20") of a model's snapshot: its embeddings through a MIPS index, or its
    /// user encoder and ranker when it has them.
    /// </summary>
    IReadOnlyDictionary<string, double> Score(Models.ModelSnapshot snapshot);
}
