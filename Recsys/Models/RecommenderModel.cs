using Recsys.Tables;
using Recsys.Training;
using Recsys.Training.Objectives;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Recsys.Models;

/// <summary>
/// Shared plumbing of the TorchSharp recommenders trained with BPR: the user and item tables, the default objective
/// (one <see cref="BprPhase"/> stepping every parameter with one Adam) and the copy-out of embeddings. A model with
/// another objective overrides <see cref="Phases"/> (and <see cref="ParameterGroups"/> for several optimizers).
/// </summary>
public abstract class RecommenderModel : nn.Module, IRecommenderModel, IBprModel
{
    /// <param name="name">Module name (the checkpoint key prefix).</param>
    /// <param name="options">Model kind, dimension and the user and item table options.</param>
    /// <param name="inputs">The model's inputs (size the tables; hashed tables derive their maps from them).</param>
    /// <param name="seed">Seed of the initial weights.</param>
    protected RecommenderModel(string name, ModelOptions options, ModelInputs inputs, ulong seed) : base(name)
    {
        NumUsers = inputs.NumUsers; NumItems = inputs.NumItems;
        user_table = options.UserTable.Create(TableContext.For(inputs, TableSide.Users, options.Dim, DeriveSeed(seed, 1)));
        item_table = options.ItemTable.Create(TableContext.For(inputs, TableSide.Items, options.Dim, DeriveSeed(seed, 2)));
    }

    /// <summary>An independent seed for sub-component <paramref name="stream"/> of a model seeded with <paramref name="seed"/>.</summary>
    protected static ulong DeriveSeed(ulong seed, ulong stream) =>
        new Recsys.Training.Xoshiro256(seed ^ (stream * 0x9E3779B97F4A7C15UL)).NextUInt64() >> 1;

    /// <summary>State of the model's own training-time random generator (dropout), or null when it draws none.</summary>
    public virtual byte[]? SaveRandomState() => null;

    /// <summary>Restores a state from <see cref="SaveRandomState"/>.</summary>
    public virtual void RestoreRandomState(byte[] state) { }

    // Field names are checkpoint keys.
    protected readonly EmbeddingTable user_table;
    protected readonly EmbeddingTable item_table;

    public TableRows Tables => TableRows.Of(user_table, item_table);

    public int NumUsers { get; }
    public int NumItems { get; }
    public abstract string Kind { get; }
    public nn.Module Module => this;

    public long ParameterCount => parameters().Sum(p => p.numel());

    public abstract Tensor BprLoss(BprBatch batch, double reg);

    /// <summary>One BPR phase over the training pairs, then the phases of tables that train parameters of their own (<see cref="ITableObjective"/>).</summary>
    public virtual IReadOnlyList<ITrainingPhase> Phases(ModelInputs inputs, TrainerOptions options) => [new BprPhase(this, inputs.Train, options), .. TablePhases(inputs, options)];

    /// <summary>Every parameter but the tables' own in the default group, then each <see cref="ITableObjective"/> table's groups.</summary>
    public virtual IReadOnlyList<ParameterGroup> ParameterGroups(TrainerOptions options) =>
        [new ParameterGroup(ParameterGroup.Default, Weights(), options.LearningRate), .. TableObjectives().SelectMany(t => t.Table.ParameterGroups(t.Side, options))];

    private Parameter[] Weights() => ModelWeights.Besides(this, TableObjectives().Select(t => t.Table));

    /// <summary>The phases of the tables that train parameters of their own, over this model's BPR objective.</summary>
    protected IEnumerable<ITrainingPhase> TablePhases(ModelInputs inputs, TrainerOptions options) =>
        TableObjectives().SelectMany(t => t.Table.Phases(new TablePhaseContext(t.Side, (m, group, o) => new BprPhase(this, m, o, group),
            () => new BprPhase(this, inputs.Train, options), Weights(), inputs, options)));

    private IEnumerable<(string Side, ITableObjective Table)> TableObjectives()
    {
        if (user_table is ITableObjective u) yield return ("users", u);
        if (item_table is ITableObjective i) yield return ("items", i);
    }

    public virtual ModelSnapshot Snapshot() => new(Embeddings());

    /// <summary>Final user and item matrices on the model's device: ([NumUsers, D], [NumItems, D]).</summary>
    protected abstract (Tensor Users, Tensor Items) Final();

    /// <summary>Final user and item embeddings copied out (no grad, eval mode).</summary>
    public ModelEmbeddings Embeddings()
    {
        bool wasTraining = training;
        train(false);
        try
        {
            using var scope = NewDisposeScope();
            using var _ = no_grad();
            var (u, i) = Final();
            int dim = (int)u.shape[1];
            return new ModelEmbeddings(ToArray(u), ToArray(i), dim);
        }
        finally { train(wasTraining); }
    }

    private static float[] ToArray(Tensor t) => t.to(CPU).contiguous().data<float>().ToArray();

    /// <summary>Both tables stacked as graph nodes: users 0..U-1, then items U..U+I-1 → [U+I, D].</summary>
    protected Tensor NodeEmbeddings() => cat([user_table.All(), item_table.All()], 0);

    /// <summary>
    /// BPR loss of a graph model that computes final embeddings only at a batch's distinct nodes:
    /// <paramref name="finalRows"/> gets those node rows (users 0..U-1, items after) and returns their final embeddings
    /// in that order; the L2 term stays on the batch's ego embeddings, as the papers' code does. <paramref name="items"/>,
    /// when given, may replace the final rows of the positives and of the negatives (given their ids and final rows)
    /// before the loss.
    /// </summary>
    private protected Tensor BatchNodesLoss(BprBatch batch, double reg, BatchNodes nodes, Func<int[], Tensor> finalRows,
        Func<Tensor, Tensor, Tensor>? items = null)
    {
        int[] rows; long[] ua, pa, na;
        using (Training.StepProfile.Time("  batch nodes")) (rows, ua, pa, na) = nodes.Collect(batch);
        Tensor mine;
        using (Training.StepProfile.Time("  propagation forward")) mine = finalRows(rows);
        using var _ = Training.StepProfile.Time("  gather + BPR loss");
        var dev = mine.device;
        var u = mine.index_select(0, tensor(ua, device: dev));
        var p = mine.index_select(0, tensor(pa, device: dev));
        var n = mine.index_select(0, tensor(na, device: dev));
        if (items is not null) { p = items(batch.PositiveIds, p); n = items(batch.NegativeIds, n); }
        return Models.BprLoss.Compute(u, p, n,
            user_table.Lookup(batch.UserIds), item_table.Lookup(batch.PositiveIds), item_table.Lookup(batch.NegativeIds), reg);
    }
}
