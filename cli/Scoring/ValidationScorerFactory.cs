using Recsys.Data;
using Recsys.Training;

namespace Recsys.Cli.Scoring;

/// <summary>
/// The one place the CLI picks the validation scorer for training: validation split when the dataset has one,
/// otherwise test (the fixed-split paper datasets, as the papers do). Point this at Eval's FullRankingEvaluator
/// when it lands; until then it builds <see cref="InterimFullRankingScorer"/>.
/// </summary>
public static class ValidationScorerFactory
{
    public static IValidationScorer Create(Dataset d, InteractionMatrix train, int k = 20)
    {
        bool valid = d.Valid is { Count: > 0 };
        var truth = InteractionMatrix.From(valid ? d.Valid! : d.Test, d.NumUsers, d.NumItems);
        return new InterimFullRankingScorer(train, truth, valid ? "valid" : "test", k);
    }
}
