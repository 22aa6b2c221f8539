using Recsys.Catalog;
using Recsys.Models;
using Recsys.Tables;
using Recsys.Training;
using Recsys.Training.Objectives;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Recsys.Tests.Extensibility;

/// <summary>
/// A model kind that lives only in the test assembly: user and item tables trained with a full-softmax cross-entropy
/// over all items (an objective the core does not ship), plus a per-item bias folded into the item vectors, with the
/// bias in its own parameter group and learning rate. It registers itself like a real kind.
/// </summary>
public sealed record ToyOptions : ModelOptions
{
    /// <summary>Users per batch of the softmax phase.</summary>
    public int UsersPerBatch { get; init; } = 16;
    public double BiasLearningRate { get; init; } = 0.05;
    public override string Kind => "toy";

    public override void Validate()
    {
        base.Validate();
        if (UsersPerBatch < 1) throw new ArgumentOutOfRangeException(nameof(UsersPerBatch), UsersPerBatch, "must be ≥ 1.");
        if (!(BiasLearningRate > 0)) throw new ArgumentOutOfRangeException(nameof(BiasLearningRate), BiasLearningRate, "must be positive.");
    }

    public override IRecommenderModel Create(ModelInputs inputs, ulong seed) { Validate(); return new ToyModel(this, inputs, seed); }

    private static readonly KindParameter<int> UsersPerBatchParameter = KindParameter.Int("toy-users-per-batch", "toy: users per softmax batch.", min: 1);

    /// <summary>The one registration line a new kind needs.</summary>
    public static ModelKind Registration { get; } = ModelKind.Create<ToyOptions>("toy", "softmax MF with item bias (test-only kind)",
        parameters: [UsersPerBatchParameter], configure: (o, a) => o with { UsersPerBatch = a.GetOr(UsersPerBatchParameter, o.UsersPerBatch) },
        trainerDefaults: () => new TrainerOptions { LearningRate = 0.05, Epochs = 4 });
}

/// <summary>score(u, i) = uᵀi + b_i, trained by softmax cross-entropy of each user's training items against all items.</summary>
public sealed class ToyModel : nn.Module, IRecommenderModel
{
    private readonly ToyOptions _o;
    private readonly Recsys.Data.InteractionMatrix _train;
    // Field names are checkpoint keys.
    private readonly EmbeddingTable user_table;
    private readonly EmbeddingTable item_table;
    private readonly Parameter item_bias;

    public ToyModel(ToyOptions o, ModelInputs inputs, ulong seed) : base("Toy")
    {
        _o = o; _train = inputs.Train;
        user_table = o.UserTable.Create(TableContext.For(inputs, TableSide.Users, o.Dim, seed + 1));
        item_table = o.ItemTable.Create(TableContext.For(inputs, TableSide.Items, o.Dim, seed + 2));
        item_bias = new Parameter(zeros(inputs.NumItems));
        RegisterComponents();
    }

    public string Kind => "toy";
    public nn.Module Module => this;
    public TableRows Tables => TableRows.Of(user_table, item_table);
    public long ParameterCount => parameters().Sum(p => p.numel());

    public IReadOnlyList<ITrainingPhase> Phases(ModelInputs inputs, TrainerOptions options) => [new SoftmaxPhase(this)];

    public IReadOnlyList<ParameterGroup> ParameterGroups(TrainerOptions options) =>
    [
        new(ParameterGroup.Default, user_table.parameters().Concat(item_table.parameters()).ToArray(), options.LearningRate),
        new("bias", [item_bias], _o.BiasLearningRate),
    ];

    public byte[]? SaveRandomState() => null;
    public void RestoreRandomState(byte[] state) { }

    /// <summary>Item vectors carry the bias as one more column, users a constant 1 there: the dot product is uᵀi + b_i.</summary>
    public ModelSnapshot Snapshot()
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var users = cat([user_table.All(), ones(_train.NumUsers, 1, device: item_bias.device)], 1);
        var items = cat([item_table.All(), item_bias.unsqueeze(1)], 1);
        return new ModelSnapshot(new ModelEmbeddings(Floats(users), Floats(items), _o.Dim + 1));
    }

    private static float[] Floats(Tensor t) => t.cpu().contiguous().data<float>().ToArray();

    private Tensor Loss(long[] users, Device device)
    {
        var ids = tensor(users, device: device);
        var logits = user_table.Lookup(ids).matmul(item_table.All().t()) + item_bias;           // [B, I]
        var t = new float[users.Length * _train.NumItems];
        for (int b = 0; b < users.Length; b++)
            foreach (var i in _train.ItemsOf((int)users[b])) t[b * _train.NumItems + i] = 1f / _train.UserDegree((int)users[b]);
        var target = tensor(t, [users.Length, _train.NumItems], device: device);
        return -(target * nn.functional.log_softmax(logits, 1)).sum(1).mean();
    }

    /// <summary>Shuffled users with training items, <see cref="ToyOptions.UsersPerBatch"/> per batch.</summary>
    private sealed class SoftmaxPhase(ToyModel m) : ITrainingPhase
    {
        private long[] _users = [];
        public string Name => "softmax";
        public string Optimizer => ParameterGroup.Default;

        public int Begin(ref Xoshiro256 rng)
        {
            var u = Enumerable.Range(0, m._train.NumUsers).Where(x => m._train.UserDegree(x) > 0).Select(x => (long)x).ToArray();
            for (int i = u.Length - 1; i > 0; i--) { int j = rng.NextInt(i + 1); (u[i], u[j]) = (u[j], u[i]); }
            _users = u;
            return (u.Length + m._o.UsersPerBatch - 1) / m._o.UsersPerBatch;
        }

        public Tensor Loss(int batch, Device device)
        {
            int b = m._o.UsersPerBatch, start = batch * b;
            return m.Loss(_users[start..Math.Min(_users.Length, start + b)], device);
        }

        public void End() { }
    }
}
