using Recsys.Tables;

namespace Recsys.Models;

/// <summary>The training objective of <see cref="SasRec"/>.</summary>
public enum SasRecObjective
{
    /// <summary>Full-softmax cross-entropy of the next item over all items at every position (the stronger, modern choice).</summary>
    CrossEntropy,
    /// <summary>Binary cross-entropy of the next item against one sampled negative per position (Kang &amp; McAuley 2018).</summary>
    BinaryCrossEntropy,
}

/// <summary>
/// SASRec (Kang &amp; McAuley, ICDM 2018): causal self-attention over a user's last <see cref="MaxLength"/> items,
/// learned positions, <see cref="Blocks"/> blocks of (layer norm, multi-head attention, layer norm, point-wise
/// feed-forward), dropout. The item table (<see cref="ModelOptions.Dim"/> wide, one padding row) is both the input
/// embedding and the output layer: the network's own padded table for the default full spec, or any registry table
/// (hashed, GraphHash, semantic-ID, DNIS, mixed-dimension; see <see cref="SequentialItemTable"/>). The trainer's
/// <c>BatchSize</c> counts users (sequences) per batch for this model. The user table spec must stay full (the model
/// has no user rows).
/// </summary>
public sealed record SasRecOptions : ModelOptions
{
    /// <summary>
    /// The default item table is the network's own Glorot-uniform table; its spec says Glorot so that a table built from
    /// it by the registry (a DNIS table's inner full table) starts the same way.
    /// </summary>
    public SasRecOptions() => ItemTable = new FullTableSpec(TableInit.XavierUniform);

    /// <summary>Items of history the model sees (the most recent ones); training windows are MaxLength + 1 items.</summary>
    public int MaxLength { get; init; } = 50;
    /// <summary>Self-attention blocks.</summary>
    public int Blocks { get; init; } = 2;
    /// <summary>Attention heads; must divide <see cref="ModelOptions.Dim"/>.</summary>
    public int Heads { get; init; } = 1;
    /// <summary>Dropout on the embeddings, the attention weights and the feed-forward layers, in [0, 1).</summary>
    public double Dropout { get; init; } = 0.2;
    public SasRecObjective Objective { get; init; } = SasRecObjective.CrossEntropy;

    public override string Kind => "sasrec";

    public override void Validate()
    {
        base.Validate();
        if (MaxLength < 1) throw new ArgumentOutOfRangeException(nameof(MaxLength), MaxLength, "must be ≥ 1.");
        if (Blocks < 1) throw new ArgumentOutOfRangeException(nameof(Blocks), Blocks, "must be ≥ 1.");
        if (Heads < 1 || Dim % Heads != 0) throw new ArgumentOutOfRangeException(nameof(Heads), Heads, $"must be ≥ 1 and divide Dim ({Dim}).");
        if (!(Dropout >= 0 && Dropout < 1)) throw new ArgumentOutOfRangeException(nameof(Dropout), Dropout, "must be in [0, 1).");
        if (!Enum.IsDefined(Objective)) throw new ArgumentOutOfRangeException(nameof(Objective), Objective, "unknown objective.");
        SequentialItemTable.RequireFullUserTable(this, "sasrec", "has no user table (users are encoded from their histories)");
    }

    /// <summary>Why SASRec cannot train on <paramref name="inputs"/>: it needs ordered histories.</summary>
    public static string? Unsupported(ModelInputs inputs) =>
        inputs.Histories is null ? "sasrec needs ordered user histories (ModelInputs.Histories), and the inputs have none." : null;

    public override IRecommenderModel Create(ModelInputs inputs, ulong seed)
    {
        Validate();
        if (Unsupported(inputs) is { } why) throw new InvalidDataException(why);
        return new SasRec(this, inputs, seed);
    }
}
