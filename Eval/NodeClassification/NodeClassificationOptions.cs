namespace Recsys.Eval.NodeClassification;

/// <summary>
/// Settings of the multi-label node-classification protocol of DeepWalk / node2vec / FastRP: a random
/// <see cref="TrainRatio"/> of the labelled nodes trains one-vs-rest logistic regression, the rest are predicted,
/// repeated <see cref="Repeats"/> times with different shuffles.
/// </summary>
public sealed record NodeClassificationOptions
{
    /// <summary>Share of the labelled nodes used for training (the paper's 10% = 0.1).</summary>
    public double TrainRatio { get; init; } = 0.1;

    public int Repeats { get; init; } = 10;

    /// <summary>Seed of the splits; repeat r shuffles with seed + r.</summary>
    public int Seed { get; init; } = 0;

    /// <summary>
    /// Inverse regularisation strength C of scikit-learn's <c>LogisticRegression</c> (objective ½‖w‖² + C Σ logloss).
    /// ML.NET's L-BFGS minimises (Σ logloss + ½ λ‖w‖²) / n with the bias unregularised, which has the same minimiser
    /// when λ = 1/C; so C = 0.1 (the reference FastRP evaluation) runs with L2Regularization = 10.
    /// </summary>
    public double C { get; init; } = 0.1;

    /// <summary>L-BFGS relative tolerance (ML.NET's OptimizationTolerance).</summary>
    public float Tolerance { get; init; } = 1e-6f;

    /// <summary>Labels trained at once (each trainer runs single-threaded); null = all cores.</summary>
    public int? Parallelism { get; init; }

    public void Validate()
    {
        if (!(TrainRatio > 0 && TrainRatio < 1)) throw new ArgumentOutOfRangeException(nameof(TrainRatio), TrainRatio, "must be in (0, 1).");
        if (Repeats <= 0) throw new ArgumentOutOfRangeException(nameof(Repeats), Repeats, "must be positive.");
        if (!(C > 0) || double.IsInfinity(C)) throw new ArgumentOutOfRangeException(nameof(C), C, "must be positive and finite.");
        if (!(Tolerance > 0)) throw new ArgumentOutOfRangeException(nameof(Tolerance), Tolerance, "must be positive.");
        if (Parallelism is { } p && p <= 0) throw new ArgumentOutOfRangeException(nameof(Parallelism), p, "must be positive.");
    }
}
