using Recsys.Tables;

namespace Recsys.Models;

/// <summary>
/// GRank (generate and rank, structured-index-free retrieval): a causal self-attention <b>generator</b> over a user's
/// last <see cref="MaxLength"/> items plus a learned query token, served by exact MIPS over the item table, and a
/// single-head cross-attention <b>ranker</b> from each candidate to the user's last <see cref="RankerLength"/> items,
/// trained jointly: L = λ0·InfoNCE(next item) + λ1·InfoNCE(target-aware view) + λ2·InfoNCE(ranker view). Both share
/// the item table: the generator's own for the default full spec, or any registry table (<see cref="SequentialItemTable"/>).
/// The trainer's <c>BatchSize</c> counts users per batch; its <c>Reg</c> is not used. The user table spec must stay
/// full (the model has no user rows).
/// </summary>
public sealed record GRankOptions : ModelOptions
{
    /// <summary>
    /// The default item table is the network's own Glorot-uniform table; its spec says Glorot so that a table built from
    /// it by the registry (a DNIS table's inner full table) starts the same way.
    /// </summary>
    public GRankOptions() => ItemTable = new FullTableSpec(TableInit.XavierUniform);

    /// <summary>Most recent items the generator sees (the paper's 64).</summary>
    public int MaxLength { get; init; } = 64;
    /// <summary>Generator self-attention blocks (the paper uses 4; 2 keeps a Beauty epoch within 60 s on 2 cores).</summary>
    public int Blocks { get; init; } = 2;
    /// <summary>Generator attention heads; must divide <see cref="ModelOptions.Dim"/>.</summary>
    public int Heads { get; init; } = 1;
    /// <summary>Generator dropout (embeddings, attention weights, feed-forward), in [0, 1).</summary>
    public double Dropout { get; init; } = 0.2;
    /// <summary>
    /// The query token is trained after each of a window's last TrainedPrefixes prefixes (next-item term); fewer than
    /// MaxLength keeps an epoch cheap (most Beauty windows are shorter anyway) while serving always uses the full window.
    /// </summary>
    public int TrainedPrefixes { get; init; } = 16;
    /// <summary>
    /// In-batch negatives injected next to each row's target in the target-aware view: the targets of the next
    /// SelfAttentionNegatives rows of the batch (cyclically).
    /// </summary>
    public int SelfAttentionNegatives { get; init; } = 16;
    /// <summary>
    /// Inject the target and the in-batch negatives as extra tokens during training (the target-aware view, weighted
    /// by <see cref="SelfAttentionWeight"/>); false drops that term (the paper's ablation).
    /// </summary>
    public bool TargetAware { get; init; } = true;
    /// <summary>Most recent items the ranker attends to (the paper's 1,000).</summary>
    public int RankerLength { get; init; } = 1000;
    /// <summary>Candidates the generator retrieves for the ranker (N); the whole catalog when it has fewer than 10·N items.</summary>
    public int Candidates { get; init; } = 2000;
    /// <summary>Uniformly drawn items added to the in-batch negatives of the ranker's InfoNCE, shared by a batch.</summary>
    public int RankerNegatives { get; init; } = 256;
    /// <summary>
    /// The query token's input adds the (scaled) row of the item it follows: the token then carries the most recent
    /// item on its residual path, as a causal model's last position does (SASRec), instead of having to read it back
    /// through attention. False (default) keeps GRank's learned token alone.
    /// </summary>
    public bool QueryFromLastItem { get; init; }
    /// <summary>λ0: weight of the next-item full-softmax InfoNCE at the query token.</summary>
    public double NextItemWeight { get; init; } = 1;
    /// <summary>λ1: weight of the target-aware (self-attention view) in-batch InfoNCE.</summary>
    public double SelfAttentionWeight { get; init; } = 1;
    /// <summary>λ2: weight of the ranker (cross-attention view) InfoNCE; 0 trains no ranker and the snapshot has none.</summary>
    public double CrossAttentionWeight { get; init; } = 1;
    /// <summary>
    /// Correct the two sampled softmaxes (target-aware view, ranker view) for how often an item is drawn as a
    /// candidate (logQ correction): in-batch candidates are other users' targets, drawn in proportion to how often an
    /// item is a user's last item, so uncorrected training pushes popular items down and the learned scores stop
    /// estimating the full-catalog softmax that serving ranks by. The logits are reduced by the log of the item's
    /// expected count in the candidate pool; serving is unchanged.
    /// </summary>
    public bool PopularityCorrection { get; init; } = true;
    /// <summary>Temperature τ dividing the logits of all three InfoNCE terms.</summary>
    public double Temperature { get; init; } = 1;

    public override string Kind => "grank";

    /// <summary>Candidates the ranker receives on a catalog of <paramref name="numItems"/> items.</summary>
    public int CandidatesFor(int numItems) => numItems < 10L * Candidates ? numItems : Candidates;

    public override void Validate()
    {
        base.Validate();
        if (MaxLength < 1) throw new ArgumentOutOfRangeException(nameof(MaxLength), MaxLength, "must be ≥ 1.");
        if (Blocks < 1) throw new ArgumentOutOfRangeException(nameof(Blocks), Blocks, "must be ≥ 1.");
        if (Heads < 1 || Dim % Heads != 0) throw new ArgumentOutOfRangeException(nameof(Heads), Heads, $"must be ≥ 1 and divide Dim ({Dim}).");
        if (!(Dropout >= 0 && Dropout < 1)) throw new ArgumentOutOfRangeException(nameof(Dropout), Dropout, "must be in [0, 1).");
        if (TrainedPrefixes < 1) throw new ArgumentOutOfRangeException(nameof(TrainedPrefixes), TrainedPrefixes, "must be ≥ 1.");
        if (SelfAttentionNegatives < 1) throw new ArgumentOutOfRangeException(nameof(SelfAttentionNegatives), SelfAttentionNegatives, "must be ≥ 1.");
        if (RankerLength < 1) throw new ArgumentOutOfRangeException(nameof(RankerLength), RankerLength, "must be ≥ 1.");
        if (Candidates < 1) throw new ArgumentOutOfRangeException(nameof(Candidates), Candidates, "must be ≥ 1.");
        if (RankerNegatives < 0) throw new ArgumentOutOfRangeException(nameof(RankerNegatives), RankerNegatives, "must be ≥ 0.");
        CheckWeight(nameof(NextItemWeight), NextItemWeight);
        CheckWeight(nameof(SelfAttentionWeight), SelfAttentionWeight);
        CheckWeight(nameof(CrossAttentionWeight), CrossAttentionWeight);
        if (NextItemWeight + (TargetAware ? SelfAttentionWeight : 0) + CrossAttentionWeight <= 0)
            throw new ArgumentOutOfRangeException(nameof(NextItemWeight), NextItemWeight, "at least one loss term needs a positive weight.");
        if (!(Temperature > 0) || !double.IsFinite(Temperature)) throw new ArgumentOutOfRangeException(nameof(Temperature), Temperature, "must be positive and finite.");
        SequentialItemTable.RequireFullUserTable(this, "grank", "has no user table (users are encoded from their histories)");
    }

    private static void CheckWeight(string name, double w)
    {
        if (!(w >= 0) || !double.IsFinite(w)) throw new ArgumentOutOfRangeException(name, w, "must be finite and ≥ 0.");
    }

    /// <summary>Why GRank cannot train on <paramref name="inputs"/>: it needs ordered histories.</summary>
    public static string? Unsupported(ModelInputs inputs) =>
        inputs.Histories is null ? "grank needs ordered user histories (ModelInputs.Histories), and the inputs have none." : null;

    public override IRecommenderModel Create(ModelInputs inputs, ulong seed)
    {
        Validate();
        if (Unsupported(inputs) is { } why) throw new InvalidDataException(why);
        return new GRank(this, inputs, seed);
    }
}
