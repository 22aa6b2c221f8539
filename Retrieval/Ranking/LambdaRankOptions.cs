namespace Recsys.Retrieval.Ranking;

/// <summary>Options of <see cref="LightGbmRanker.Fit"/>: LightGBM LambdaRank (ML.NET) over <see cref="CandidateFeatures"/>.</summary>
public sealed record LambdaRankOptions
{
    /// <summary>Where the training examples come from (<see cref="RunRanker.Fit"/>): the validation split (default) or held-out training items.</summary>
    public RankerExampleSource Examples { get; init; } = RankerExampleSource.Validation;
    /// <summary>First-stage candidates per user, for training groups and at serving.</summary>
    public int Candidates { get; init; } = 50;
    /// <summary>Boosting rounds.</summary>
    public int Iterations { get; init; } = 100;
    /// <summary>Leaves per tree.</summary>
    public int Leaves { get; init; } = 31;
    /// <summary>Shrinkage.</summary>
    public double LearningRate { get; init; } = 0.1;
    /// <summary>Minimum examples per leaf.</summary>
    public int MinExamplesPerLeaf { get; init; } = 20;
    /// <summary>Training examples kept (the first ones, by user id); 0 = all.</summary>
    public int MaxUsers { get; init; }
    /// <summary>LightGBM threads (1 = reproducible).</summary>
    public int Threads { get; init; } = 1;
    /// <summary>Seed of ML.NET and LightGBM.</summary>
    public int Seed { get; init; } = 1;

    public void Validate()
    {
        if (!Enum.IsDefined(Examples)) throw new ArgumentOutOfRangeException(nameof(Examples), Examples, "must be Validation or HeldOutTraining.");
        if (Candidates < 2) throw new ArgumentOutOfRangeException(nameof(Candidates), Candidates, "must be ≥ 2.");
        if (Iterations < 1) throw new ArgumentOutOfRangeException(nameof(Iterations), Iterations, "must be ≥ 1.");
        if (Leaves < 2) throw new ArgumentOutOfRangeException(nameof(Leaves), Leaves, "must be ≥ 2.");
        if (!(LearningRate > 0) || double.IsInfinity(LearningRate)) throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "must be a finite number > 0.");
        if (MinExamplesPerLeaf < 1) throw new ArgumentOutOfRangeException(nameof(MinExamplesPerLeaf), MinExamplesPerLeaf, "must be ≥ 1.");
        if (MaxUsers < 0) throw new ArgumentOutOfRangeException(nameof(MaxUsers), MaxUsers, "must be ≥ 0 (0 = all).");
        if (Threads < 1) throw new ArgumentOutOfRangeException(nameof(Threads), Threads, "must be ≥ 1.");
    }
}
