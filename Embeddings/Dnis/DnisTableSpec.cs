using Recsys.Tables;
using Recsys.Training.Objectives;

namespace Recsys.Embeddings.Dnis;

/// <summary>
/// DNIS (Cheng et al. 2020, "Differentiable Neural Input Search"): the soft-selection wrapper around any inner table.
/// Ids are sorted by training frequency into blocks (<see cref="Fractions"/>); α ∈ [0,1]^{S×d} starts at 1 and an id's
/// row is its inner row ⊙ α[block]. The search trains the model on training batches and, after
/// <see cref="WarmupEpochs"/>, α on validation batches for <see cref="SearchEpochs"/> (<see cref="DnisTraining"/>);
/// it then prunes to <see cref="Budget"/> (a fraction of the full table's Count × Dim scalars) or, when
/// <see cref="Threshold"/> is set, keeps the (block, column) pairs whose α-scaled magnitude reaches it.
/// </summary>
public sealed record DnisTableSpec(EmbeddingTableSpec Inner) : EmbeddingTableSpec
{
    /// <summary>Share of the ids in each frequency block, most frequent block first; they sum to 1 (default 10 × 0.1).</summary>
    public IReadOnlyList<double> Fractions { get; init; } = FrequencyBlocks.Equal(10);
    /// <summary>Epochs the model trains with α fixed at 1 before α moves (the paper's warm start).</summary>
    public int WarmupEpochs { get; init; } = 20;
    /// <summary>Epochs after the warm start in which α steps on validation batches; the search is Warmup + Search epochs.</summary>
    public int SearchEpochs { get; init; } = 20;
    /// <summary>Learning rate of α's optimizer (<see cref="AlphaOptimizer"/> on the normalised validation gradient).</summary>
    public double AlphaLearningRate { get; init; } = 1e-2;
    /// <summary>α's optimizer: Adam (default) or plain SGD (the DNIS authors' code).</summary>
    public OptimizerKind AlphaOptimizer { get; init; } = OptimizerKind.Adam;
    /// <summary>
    /// How α's gradient is normalised before the step: to unit norm over all of α (default), or each block's row to
    /// mean absolute value 1 (the DNIS authors' code), so every frequency block moves at the same rate.
    /// </summary>
    public DnisGradientNorm GradientNorm { get; init; } = DnisGradientNorm.Global;
    /// <summary>Weight of the L1 penalty Σ|α| added to the validation loss.</summary>
    public double L1 { get; init; } = 1e-5;
    /// <summary>
    /// L2 weight of the model's objective on validation batches, where α steps (null: the trainer's, as on training
    /// batches; 0: the plain validation loss). A BPR model's L2 term is on the α-scaled ego rows, so it pulls every
    /// drawn id's α down in proportion to how often the id is drawn.
    /// </summary>
    public double? ValidationReg { get; init; }
    /// <summary>
    /// DARTS' second-order α gradient (<see cref="UnrolledAlphaGradient"/>) instead of the first-order one: each α step
    /// also takes a training batch and three more passes over it.
    /// </summary>
    public bool SecondOrder { get; init; }
    /// <summary>ξ, the learning rate of the second-order search's virtual weight step (null: the trainer's learning rate, as DARTS).</summary>
    public double? UnrolledLearningRate { get; init; }
    /// <summary>Scalars the pruned table keeps, as a fraction of the full table (Count × Dim), in (0, 1]; null with a <see cref="Threshold"/>.</summary>
    public double? Budget { get; init; } = 0.5;
    /// <summary>Keep a (block, column) when its α-scaled mean magnitude is at least this; null when pruning to a <see cref="Budget"/>.</summary>
    public double? Threshold { get; init; }
    /// <summary>Columns every block keeps whatever the target (so every id keeps a nonzero vector).</summary>
    public int MinWidth { get; init; } = 1;

    /// <summary>The search and pruning epochs together: <see cref="WarmupEpochs"/> + <see cref="SearchEpochs"/>.</summary>
    public int TotalSearchEpochs => WarmupEpochs + SearchEpochs;

    public override EmbeddingTable Create(TableContext ctx)
    {
        Validate();
        var blocks = FrequencyBlocks.Of(ctx, Fractions);
        var inner = Inner.Create(ctx);
        return new DnisTable(inner, blocks, this);
    }

    public override int? RowBudget(int ids) => Inner.RowBudget(ids);
    public override int? RowsFor(int ids) => Inner.RowsFor(ids);

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first invalid option.</summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Inner, nameof(Inner));
        if (Inner is DnisTableSpec or MixedDimensionTableSpec) throw new ArgumentOutOfRangeException(nameof(Inner), "DNIS wraps a plain table (full, hashed, GraphHash, ...), not another DNIS or mixed-dimension table.");
        FrequencyBlocks.Check(Fractions, -1);
        if (WarmupEpochs < 0) throw new ArgumentOutOfRangeException(nameof(WarmupEpochs), WarmupEpochs, "must be ≥ 0.");
        if (SearchEpochs < 1) throw new ArgumentOutOfRangeException(nameof(SearchEpochs), SearchEpochs, "must be ≥ 1.");
        if (!(AlphaLearningRate > 0) || !double.IsFinite(AlphaLearningRate)) throw new ArgumentOutOfRangeException(nameof(AlphaLearningRate), AlphaLearningRate, "must be positive and finite.");
        if (!(L1 >= 0) || !double.IsFinite(L1)) throw new ArgumentOutOfRangeException(nameof(L1), L1, "must be finite and ≥ 0.");
        if (ValidationReg is { } vr && !(vr >= 0 && double.IsFinite(vr))) throw new ArgumentOutOfRangeException(nameof(ValidationReg), vr, "must be finite and ≥ 0.");
        if (UnrolledLearningRate is { } xi && !(xi > 0 && double.IsFinite(xi))) throw new ArgumentOutOfRangeException(nameof(UnrolledLearningRate), xi, "must be positive and finite.");
        if (UnrolledLearningRate is not null && !SecondOrder) throw new ArgumentOutOfRangeException(nameof(UnrolledLearningRate), "the virtual step's learning rate belongs to the second-order search.");
        if (Budget is null == Threshold is null) throw new ArgumentOutOfRangeException(nameof(Budget), "give exactly one pruning target: a parameter budget or an α-magnitude threshold.");
        if (Budget is { } b && !(b > 0 && b <= 1)) throw new ArgumentOutOfRangeException(nameof(Budget), b, "the parameter budget is a fraction of the full table in (0, 1].");
        if (Threshold is { } t && !(t >= 0 && double.IsFinite(t))) throw new ArgumentOutOfRangeException(nameof(Threshold), t, "must be finite and ≥ 0.");
        if (MinWidth < 0) throw new ArgumentOutOfRangeException(nameof(MinWidth), MinWidth, "must be ≥ 0.");
    }

    public bool Equals(DnisTableSpec? other) => other is not null && Equals(Inner, other.Inner) && Fractions.SequenceEqual(other.Fractions)
        && WarmupEpochs == other.WarmupEpochs && SearchEpochs == other.SearchEpochs && AlphaLearningRate == other.AlphaLearningRate
        && AlphaOptimizer == other.AlphaOptimizer && GradientNorm == other.GradientNorm
        && L1 == other.L1 && ValidationReg == other.ValidationReg && SecondOrder == other.SecondOrder
        && UnrolledLearningRate == other.UnrolledLearningRate && Budget == other.Budget && Threshold == other.Threshold && MinWidth == other.MinWidth;

    public override int GetHashCode() => HashCode.Combine(Inner, Fractions.Count, WarmupEpochs, SearchEpochs, Budget, Threshold);
}

/// <summary>How DNIS normalises α's gradient (<see cref="DnisTableSpec.GradientNorm"/>).</summary>
public enum DnisGradientNorm
{
    /// <summary>g / ‖g‖ over all of α.</summary>
    Global,
    /// <summary>Each block's row g_b / mean_j |g_b,j|.</summary>
    PerBlock,
}
