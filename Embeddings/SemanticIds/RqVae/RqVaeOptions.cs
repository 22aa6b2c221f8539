namespace Recsys.Embeddings.SemanticIds.RqVae;

/// <summary>
/// Options of RQ-VAE beyond the shared settings (levels, codes, seed). Defaults follow TIGER's architecture (encoder
/// 512/256/128 → latent 32, β = 0.25) with the fixes public re-implementations needed: AdamW at 1e-3, k-means codebook
/// initialisation and dead-code re-seeding; the epoch count is sized for a 2-core CPU, not TIGER's 20k epochs.
/// </summary>
public sealed record RqVaeOptions
{
    /// <summary>Hidden widths of the encoder MLP (the decoder mirrors them).</summary>
    public IReadOnlyList<int> EncoderWidths { get; init; } = [512, 256, 128];
    /// <summary>Width of the latent that is quantised.</summary>
    public int LatentDim { get; init; } = 32;
    /// <summary>Commitment weight β of ‖r − sg[e]‖².</summary>
    public double Beta { get; init; } = 0.25;
    public int Epochs { get; init; } = 60;
    public int BatchSize { get; init; } = 512;
    public double LearningRate { get; init; } = 1e-3;
    public double WeightDecay { get; init; } = 1e-4;
    /// <summary>Lloyd steps of the k-means that initialises each codebook on the encoded items.</summary>
    public int KMeansIterations { get; init; } = 25;
    /// <summary>Epochs between dead-code re-seedings (0 = never).</summary>
    public int ReseedEvery { get; init; } = 1;
    /// <summary>How the last level's codes are formed after training (nearest codeword, or balanced within colliding prefixes).</summary>
    public LastLevelAssignment LastLevel { get; init; } = LastLevelAssignment.Balanced;
    /// <summary>Sinkhorn ε of the balanced last level, relative to each prefix's range of squared distances.</summary>
    public double SinkhornEpsilon { get; init; } = 0.01;
    /// <summary>Most Sinkhorn scalings per colliding prefix.</summary>
    public int SinkhornIterations { get; init; } = 1000;

    public RqVaeOptions Validate()
    {
        if (EncoderWidths is null || EncoderWidths.Count == 0 || EncoderWidths.Any(w => w is < 1 or > 65_536))
            throw new ArgumentOutOfRangeException(nameof(EncoderWidths), "encoder widths must be one or more layer widths in 1..65,536.");
        if (LatentDim is < 1 or > 65_536) throw new ArgumentOutOfRangeException(nameof(LatentDim), LatentDim, "the latent width must be in 1..65,536.");
        if (!(Beta >= 0) || !double.IsFinite(Beta)) throw new ArgumentOutOfRangeException(nameof(Beta), Beta, "β must be a finite number ≥ 0.");
        if (Epochs is < 0 or > 1_000_000) throw new ArgumentOutOfRangeException(nameof(Epochs), Epochs, "epochs must be in 0..1,000,000.");
        if (BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "the batch size must be at least 1.");
        if (!(LearningRate > 0) || !double.IsFinite(LearningRate)) throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "the learning rate must be a finite number > 0.");
        if (!(WeightDecay >= 0) || !double.IsFinite(WeightDecay)) throw new ArgumentOutOfRangeException(nameof(WeightDecay), WeightDecay, "weight decay must be a finite number ≥ 0.");
        if (KMeansIterations is < 0 or > 10_000) throw new ArgumentOutOfRangeException(nameof(KMeansIterations), KMeansIterations, "k-means iterations must be in 0..10,000.");
        if (!Enum.IsDefined(LastLevel)) throw new ArgumentOutOfRangeException(nameof(LastLevel), LastLevel, "the last level is assigned nearest or balanced.");
        if (!(SinkhornEpsilon > 0) || !double.IsFinite(SinkhornEpsilon)) throw new ArgumentOutOfRangeException(nameof(SinkhornEpsilon), SinkhornEpsilon, "the Sinkhorn ε must be a finite number > 0.");
        if (SinkhornIterations is < 1 or > 1_000_000) throw new ArgumentOutOfRangeException(nameof(SinkhornIterations), SinkhornIterations, "Sinkhorn iterations must be in 1..1,000,000.");
        if (ReseedEvery < 0) throw new ArgumentOutOfRangeException(nameof(ReseedEvery), ReseedEvery, "must be ≥ 0 (0 = never re-seed).");
        return this;
    }
}
