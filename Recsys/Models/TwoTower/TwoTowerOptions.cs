using Recsys.Tables;

namespace Recsys.Models;

/// <summary>
/// A DSSM-style two-tower retrieval model (Huang et al., CIKM 2013; the sampled-softmax recipe of Yi et al., RecSys
/// 2019). The item tower maps an item's input — its id row plus the mean of its attribute rows (brand, categories)
/// where the data has attributes — through an MLP; the user tower maps the recency-weighted mean of the input rows of
/// the user's last <see cref="MaxLength"/> training items (plus the user's own row with <see cref="UserIds"/>) through
/// its own MLP. Both outputs are L2-normalised with <see cref="Normalize"/>; the score is their dot product.
/// Training: in-batch softmax over each batch's target items, logits divided by <see cref="Temperature"/>, minus
/// log Q(item) with <see cref="LogQCorrection"/>. The trainer's <c>BatchSize</c> counts (history prefix, next item)
/// examples. The item id table is the network's own for the default full spec, or any registry table
/// (<see cref="SequentialItemTable"/>); the user table spec must stay full (the model builds its own user rows).
/// </summary>
public sealed record TwoTowerOptions : ModelOptions
{
    /// <summary>
    /// The default item table is the network's own Glorot-uniform table; its spec says Glorot so that a table built from
    /// it by the registry (a DNIS table's inner full table) starts the same way.
    /// </summary>
    public TwoTowerOptions() => ItemTable = new FullTableSpec(TableInit.XavierUniform);

    /// <summary>Most recent history items the user tower pools (older ones are ignored).</summary>
    public int MaxLength { get; init; } = 50;

    /// <summary>
    /// Recency weighting of the pooled history: the item of age a (0 = most recent) weighs RecencyDecay^a, and the
    /// weights of a history sum to 1. 1 is the plain mean (order-insensitive); below 1 the tower is order-sensitive.
    /// </summary>
    public double RecencyDecay { get; init; } = 0.8;

    /// <summary>Adds a learned per-user row to the pooled history (off by default, so every user is served from history alone).</summary>
    public bool UserIds { get; init; }

    /// <summary>Adds the mean of the item's attribute rows to its id row, when the data has attributes.</summary>
    public bool Attributes { get; init; } = true;

    /// <summary>Linear layers of each tower's MLP (ReLU between them, none after the last), each Dim → Dim.</summary>
    public int Layers { get; init; } = 2;

    /// <summary>L2-normalise both towers' outputs, so logits are cosines divided by <see cref="Temperature"/>.</summary>
    public bool Normalize { get; init; } = true;

    /// <summary>The softmax temperature τ: logits are u·v / τ.</summary>
    public double Temperature { get; init; } = 0.05;

    /// <summary>Subtracts log Q(item) — the item's share of all training targets — from each in-batch logit.</summary>
    public bool LogQCorrection { get; init; } = true;

    public override string Kind => "twotower";

    public override void Validate()
    {
        base.Validate();
        if (MaxLength < 1) throw new ArgumentOutOfRangeException(nameof(MaxLength), MaxLength, "must be ≥ 1.");
        if (!(RecencyDecay > 0 && RecencyDecay <= 1)) throw new ArgumentOutOfRangeException(nameof(RecencyDecay), RecencyDecay, "must be in (0, 1].");
        if (Layers < 1) throw new ArgumentOutOfRangeException(nameof(Layers), Layers, "must be ≥ 1.");
        if (!(Temperature > 0) || !double.IsFinite(Temperature)) throw new ArgumentOutOfRangeException(nameof(Temperature), Temperature, "must be positive and finite.");
        // The model builds its own item table (and user table with UserIds): other table kinds would be ignored.
        SequentialItemTable.RequireFullUserTable(this, "twotower", "builds its own user rows (with UserIds)");
    }

    /// <summary>Why the two-tower model cannot train on <paramref name="inputs"/>: it needs ordered histories.</summary>
    public static string? Unsupported(ModelInputs inputs) =>
        inputs.Histories is null ? "twotower needs ordered user histories (ModelInputs.Histories), and the inputs have none." : null;

    public override IRecommenderModel Create(ModelInputs inputs, ulong seed)
    {
        Validate();
        if (Unsupported(inputs) is { } why) throw new InvalidDataException(why);
        return new TwoTower(this, inputs, seed);
    }
}
