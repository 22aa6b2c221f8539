using Recsys.Data.Synthetic;

namespace Recsys.Eval.Quickstart;

/// <summary>What <c>recsys quickstart</c> runs: the embedded synthetic dataset, then every model and baseline.</summary>
public sealed record QuickstartOptions
{
    /// <summary>Folder that receives <c>data/</c> (the generated dataset) and <c>runs/&lt;model&gt;/</c>.</summary>
    public required string OutputFolder { get; init; }

    /// <summary>The generated data: the generator's defaults plus a knowledge graph and item attributes (genre, artist).</summary>
    public SyntheticOptions Data { get; init; } = new() { WithKnowledgeGraph = true, WithAttributes = true, Name = "quickstart" };

    /// <summary>
    /// Training epochs per model. The synthetic data is small, so the quickstart trains with a larger learning
    /// rate and smaller batches than the papers' Gowalla settings (see <see cref="LearningRate"/>).
    /// </summary>
    public int Epochs { get; init; } = 40;
    public int EvalEvery { get; init; } = 5;
    public int Patience { get; init; } = 2;
    public double LearningRate { get; init; } = 0.01;
    public int BatchSize { get; init; } = 1024;
    public int K { get; init; } = 20;
    public ulong Seed { get; init; } = 2020;
    /// <summary>
    /// Registered model kinds to train, in order; null = every kind in the catalog. A kind the data cannot serve
    /// (kgat without a knowledge graph) is skipped; the baselines always run.
    /// </summary>
    public IReadOnlyList<string>? Models { get; init; }
    /// <summary>
    /// Models trained again in the graph part with other tables, each a row next to the plain model's (default: LightGCN
    /// with DNIS at half the embedding parameters). Empty skips them.
    /// </summary>
    public IReadOnlyList<QuickstartVariant> Variants { get; init; } = [QuickstartVariant.Dnis("lightgcn", 0.5)];
    /// <summary>
    /// The cold-item part: this share of the graph data's items is held out of training and validation, and MF with its
    /// ID table is compared with MF over RQ-KMeans semantic IDs of the items' attributes, on all and on the cold test items.
    /// 0 skips the part; it needs item attributes (<see cref="SyntheticOptions.WithAttributes"/>).
    /// </summary>
    public double ColdItems { get; init; } = 0.1;
    /// <summary>Replace an existing output folder.</summary>
    public bool Force { get; init; }

    /// <summary>
    /// The sequential part: registered kinds, each alone or with one of its presets (<c>KIND</c> or <c>KIND+PRESET</c>,
    /// see <see cref="QuickstartSequentialModel"/>), trained on <see cref="Sequences"/> (leave-one-out, seen items
    /// excluded, K = <see cref="SequenceK"/>), after popularity and item-kNN. Empty skips the part.
    /// </summary>
    public IReadOnlyList<string> SequentialModels { get; init; } = [];
    public SequenceOptions Sequences { get; init; } = new();
    public int SequenceEpochs { get; init; } = 30;
    public int SequenceK { get; init; } = 10;

    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(OutputFolder)) throw new ArgumentOutOfRangeException(nameof(OutputFolder), "an output folder is required.");
        Data.Validate();
        if (Epochs < 1) throw new ArgumentOutOfRangeException(nameof(Epochs), Epochs, "must be ≥ 1.");
        if (EvalEvery < 1) throw new ArgumentOutOfRangeException(nameof(EvalEvery), EvalEvery, "must be ≥ 1.");
        if (Patience < 0) throw new ArgumentOutOfRangeException(nameof(Patience), Patience, "must be ≥ 0.");
        if (!(LearningRate > 0) || !double.IsFinite(LearningRate)) throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "must be > 0.");
        if (BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "must be ≥ 1.");
        if (K < 1) throw new ArgumentOutOfRangeException(nameof(K), K, "must be ≥ 1.");
        ArgumentNullException.ThrowIfNull(Variants, nameof(Variants));
        if (!(ColdItems >= 0 && ColdItems < 1)) throw new ArgumentOutOfRangeException(nameof(ColdItems), ColdItems, "must be in [0, 1) (0 skips the cold-item part).");
        if (ColdItems > 0 && !Data.WithAttributes) throw new ArgumentOutOfRangeException(nameof(ColdItems), ColdItems, "the cold-item part indexes item attributes; generate them (Data.WithAttributes) or set ColdItems to 0.");
        if (SequentialModels.Count > 0)
        {
            Sequences.Validate();
            if (SequenceEpochs < 1) throw new ArgumentOutOfRangeException(nameof(SequenceEpochs), SequenceEpochs, "must be ≥ 1.");
            if (SequenceK < 1) throw new ArgumentOutOfRangeException(nameof(SequenceK), SequenceK, "must be ≥ 1.");
        }
    }
}

/// <summary>
/// One row of the quickstart table: test metrics of a model (at the epoch chosen on validation for trained models) on
/// one of its datasets (<see cref="QuickstartRunner.GraphPart"/>, <see cref="QuickstartRunner.ColdPart"/> or
/// <see cref="QuickstartRunner.SequencePart"/>).
/// </summary>
public sealed record QuickstartRow(string Model, IReadOnlyDictionary<string, double> Metrics, double Seconds, int? BestEpoch, string? RunFolder)
{
    public string Part { get; init; } = QuickstartRunner.GraphPart;
    /// <summary>Scalars stored by the trained model's user and item tables; null for baselines.</summary>
    public long? EmbeddingParameters { get; init; }
}

/// <summary>Progress of the quickstart: which step runs now.</summary>
public sealed record QuickstartProgress(string Step, int Index, int Total);
