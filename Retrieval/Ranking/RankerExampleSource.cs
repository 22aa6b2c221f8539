namespace Recsys.Retrieval.Ranking;

/// <summary>Where <see cref="LightGbmRanker"/>'s training examples come from (<see cref="LambdaRankOptions.Examples"/>).</summary>
public enum RankerExampleSource
{
    /// <summary>
    /// The validation split: context = the user's ordered training history, relevant = the user's validation items,
    /// candidates = the first stage's top N over the training history with training items excluded — test time one step
    /// earlier, on items the first stage was not trained on.
    /// </summary>
    Validation,

    /// <summary>
    /// Each user's last training item held out: context = the rest of the training history. The first stage was
    /// trained on the held-out item, so its score is over-confident on these examples; for data without a validation split.
    /// </summary>
    HeldOutTraining,
}
