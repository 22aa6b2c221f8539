using Recsys.Data;
using Recsys.Eval;
using Recsys.Training;

namespace Recsys.Cli.Scoring;

/// <summary>The one place the CLI picks the validation scorer for training (see <see cref="EmbeddingValidationScorer.ForTraining"/>).</summary>
public static class ValidationScorerFactory
{
    public static IValidationScorer Create(Dataset d, InteractionMatrix train, int k = 20) => EmbeddingValidationScorer.ForTraining(d, k);
}
