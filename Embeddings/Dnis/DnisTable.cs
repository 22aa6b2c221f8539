using Recsys.Tables;
using Recsys.Training;
using Recsys.Training.Objectives;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Recsys.Embeddings.Dnis;

/// <summary>
/// DNIS's soft-selection layer over any inner table: row(id) = inner.row(id) ⊙ α[block(id)], α ∈ [0,1]^{S×Dim}
/// initialised to 1. α is the table's own parameter group (<see cref="ITableObjective"/>): the model's optimizer
/// never steps it; <see cref="DnisSearchPhase"/> does, on validation batches, once <see cref="DnisTableSpec.WarmupEpochs"/>
/// epochs have passed (counted by a saved buffer, so a resumed run keeps the schedule).
/// </summary>
public sealed class DnisTable : EmbeddingTable, ITableObjective
{
    private readonly EmbeddingTable inner;
    private readonly Parameter alpha;
    private readonly Tensor search_epochs;
    private readonly DnisTableSpec _spec;

    public DnisTable(EmbeddingTable inner, FrequencyBlocks blocks, DnisTableSpec spec) : base(nameof(DnisTable))
    {
        ArgumentNullException.ThrowIfNull(inner);
        if (blocks.Count != inner.Count) throw new ArgumentOutOfRangeException(nameof(blocks), blocks.Count, $"blocks cover {blocks.Count} ids but the inner table has {inner.Count}.");
        this.inner = inner; _spec = spec; Blocks = blocks;
        alpha = new Parameter(ones(blocks.Blocks, inner.Dim));
        search_epochs = zeros(1, dtype: ScalarType.Int64);
        RegisterComponents();
        _blockOf = new DeviceIndex(blocks.BlockOf); // a function of the data: not saved
    }

    private readonly DeviceIndex _blockOf;

    public override int Count => inner.Count;
    public override int Dim => inner.Dim;
    public override int Rows => inner.Rows;

    /// <summary>The frequency blocks of the ids.</summary>
    public FrequencyBlocks Blocks { get; }
    /// <summary>The wrapped table.</summary>
    public EmbeddingTable Inner => inner;
    /// <summary>The spec the table was built from (search schedule and pruning target).</summary>
    public DnisTableSpec Spec => _spec;
    /// <summary>The dimension weights α [S, Dim] as a parameter (for tests and the α phase).</summary>
    public Parameter Alpha => alpha;

    public override Tensor Lookup(Tensor ids) => inner.Lookup(ids) * alpha.index_select(0, BlockOf().index_select(0, ids));
    public override Tensor All() => inner.All() * alpha.index_select(0, BlockOf());

    /// <summary>α copied out, row-major [S, Dim].</summary>
    public float[] AlphaValues() => alpha.detach().to(CPU).contiguous().data<float>().ToArray();

    /// <summary>
    /// α-scaled mean magnitude of every (block, column): s[b, j] = α[b, j] · mean over the block's ids of |inner row_j|,
    /// row-major [S, Dim] — what pruning ranks.
    /// </summary>
    public float[] Scores()
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var rows = inner.All().abs();
        var sums = zeros(Blocks.Blocks, Dim, dtype: rows.dtype, device: rows.device).index_add(0, BlockOf(), rows, 1);
        var sizes = tensor(Enumerable.Range(0, Blocks.Blocks).Select(b => (float)Blocks.Size(b)).ToArray(), device: rows.device).to(rows.dtype).unsqueeze(1);
        return (sums / sizes * alpha).to(CPU).to(ScalarType.Float32).contiguous().data<float>().ToArray();
    }

    /// <summary>The α-scaled rows of every id [Count, Dim] copied out (what the pruned table starts from).</summary>
    public float[] ScaledRows()
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        return All().to(CPU).to(ScalarType.Float32).contiguous().data<float>().ToArray();
    }

    /// <summary>Epochs whose α phase has ended (warm-up ones included).</summary>
    public long CompletedSearchEpochs => SearchEpochsBuffer().cpu().item<long>();

    internal void CountSearchEpoch()
    {
        using var _ = no_grad();
        SearchEpochsBuffer().add_(1);
    }

    /// <summary>Projects α back onto [0, 1] after an optimizer step.</summary>
    internal void ClampAlpha()
    {
        using var _ = no_grad();
        alpha.clamp_(0, 1);
    }

    public IReadOnlyList<Parameter> OwnParameters => [alpha];

    public IReadOnlyList<ParameterGroup> ParameterGroups(string side, TrainerOptions options) =>
        [new ParameterGroup(GroupName(side), [alpha], _spec.AlphaLearningRate, _spec.AlphaOptimizer)];

    public IReadOnlyList<ITrainingPhase> Phases(TablePhaseContext context)
    {
        var valid = context.Inputs.Valid ?? throw new InvalidDataException(
            $"DNIS ({context.Side} table) steps α on validation batches, but the data has no validation split (valid.arrow); carve one from training with `recsys data split`.");
        var options = _spec.ValidationReg is { } reg ? context.Options with { Reg = reg } : context.Options;
        var unrolled = _spec.SecondOrder ? new DnisSearchPhase.Unrolled(context.Training(), context.Weights, _spec.UnrolledLearningRate ?? context.Options.LearningRate) : null;
        return [new DnisSearchPhase(this, context.Objective(valid, GroupName(context.Side), options), context.Side, unrolled)];
    }

    /// <summary>Name of the α group of the table serving <paramref name="side"/>.</summary>
    public static string GroupName(string side) => "dnis-" + side;

    // Read through the module's buffer table: Module.to(device) replaces registered buffers.
    private Tensor BlockOf() => _blockOf.On(alpha.device);
    protected override void Dispose(bool disposing)
    {
        if (disposing) _blockOf.Dispose();
        base.Dispose(disposing);
    }

    private Tensor SearchEpochsBuffer() => named_buffers().First(b => b.name == nameof(search_epochs)).buffer;
}
