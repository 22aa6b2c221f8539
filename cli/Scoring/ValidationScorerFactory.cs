using Recsys.Data;
using Recsys.Eval;
using Recsys.Training;

namespace Recsys.Cli.Scoring;

/// <summary>
/// The one place the CLI picks the validation scorer for training: Eval's full-ranking evaluator on the validation
/// split when the dataset has one, otherwise on test (the fixed-split paper datasets, as the papers do).
/// </summary>
public static class ValidationScorerFactory
{
    public static IValidationScorer Create(Dataset d, int k = 20) => EmbeddingValidationScorer.ForTraining(d, k);
}
