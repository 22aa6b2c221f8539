using Recsys.Data;
using Recsys.Tables;
using Recsys.Training;
using Recsys.Training.Objectives;
using static TorchSharp.torch;

namespace Recsys.Models;

/// <summary>
/// The two-tower model (<see cref="TwoTowerOptions"/>) as an <see cref="IRecommenderModel"/>: a
/// <see cref="TwoTowerNetwork"/> trained on (history prefix → next item) examples from every position of each user's
/// training sequence (<see cref="TwoTowerPhase"/>) with the log-Q-corrected in-batch softmax (<see cref="LogQSoftmax"/>).
/// Q is each item's share of those examples' targets. Its snapshot has the item tower over every item as item
/// vectors, a <see cref="TwoTowerEncoder"/> over a history, and — with <see cref="TwoTowerOptions.UserIds"/> — user
/// rows: the user tower over each user's id and training history. The model draws no randomness of its own and the
/// trainer's <c>Reg</c> is not used.
/// </summary>
public sealed class TwoTower : nn.Module, IRecommenderModel
{
    private const int Chunk = 1024;
    private readonly TwoTowerOptions _o;
    private readonly UserHistories _histories;
    private readonly HistoryPooling _pooling;
    private readonly float[] _logQ;
    // Field names are checkpoint keys; item_table exists only for a registry (non-full) item table.
    private readonly EmbeddingTable? item_table;
    private readonly TwoTowerNetwork network;

    public TwoTower(TwoTowerOptions o, ModelInputs inputs, ulong seed) : base("TwoTower")
    {
        ArgumentNullException.ThrowIfNull(o);
        ArgumentNullException.ThrowIfNull(inputs);
        _o = o;
        _histories = inputs.Histories ?? throw new InvalidDataException(TwoTowerOptions.Unsupported(inputs));
        NumItems = inputs.NumItems; NumUsers = inputs.NumUsers;
        _pooling = new HistoryPooling(o.MaxLength, o.RecencyDecay);
        _logQ = o.LogQCorrection ? TargetLogShares(_histories, NumItems) : new float[NumItems];
        item_table = SequentialItemTable.Create(o, inputs, seed + 5);
        network = new TwoTowerNetwork(o, NumItems, NumUsers, inputs.Attributes, seed + 1, item_table);
        RegisterComponents();
    }

    public string Kind => "twotower";
    public nn.Module Module => this;
    public TwoTowerOptions Options => _o;
    public TwoTowerNetwork Network => network;
    public int NumItems { get; }
    public int NumUsers { get; }

    /// <summary>The item id table's rows (attribute rows counted in its parameters); user rows only with UserIds.</summary>
    public TableRows Tables => new(network.HasUserRows ? NumUsers : 0, network.ItemTableRows, network.HasUserRows ? NumUsers : 0, NumItems)
    {
        UserParameters = network.UserTableParameters, ItemParameters = network.ItemTableParameters,
    };

    public long ParameterCount => parameters().Sum(p => p.numel());

    /// <summary>One epoch of (prefix → next item) examples, then the phases of an item table that trains parameters of its own (DNIS's α on validation examples).</summary>
    public IReadOnlyList<ITrainingPhase> Phases(ModelInputs inputs, TrainerOptions options) =>
        [new TwoTowerPhase(this, options), .. SequentialItemTable.Phases(this, item_table, () => new TwoTowerPhase(this, options), (m, group, o) => new TwoTowerHeldOutPhase(this, m, o, group), inputs, options)];

    public IReadOnlyList<ParameterGroup> ParameterGroups(TrainerOptions options) => SequentialItemTable.ParameterGroups(this, item_table, options);

    public byte[]? SaveRandomState() => null;
    public void RestoreRandomState(byte[] state) { }

    /// <summary>log Q(item) of the correction: log of the item's share of the training targets (0 without the correction).</summary>
    public float LogQ(int item) => _logQ[item];

    /// <summary>User <paramref name="user"/>'s training items, oldest first.</summary>
    internal ReadOnlySpan<int> History(int user) => _histories.ItemsOf(user);

    /// <summary>
    /// Mean in-batch loss of examples (<paramref name="histories"/>[s] → <paramref name="targets"/>[s]); histories
    /// may be empty and are cut to their last MaxLength items; <paramref name="users"/> are the examples' users (used
    /// with UserIds; null: no user row).
    /// </summary>
    public Tensor Loss(IReadOnlyList<int[]> histories, int[] targets, int[]? users, Device device)
    {
        ArgumentNullException.ThrowIfNull(histories);
        ArgumentNullException.ThrowIfNull(targets);
        if (targets.Length != histories.Count) throw new ArgumentException("one target per history.", nameof(targets));
        int width = _pooling.Width(histories);
        var (items, weights) = _pooling.Rows(histories, width, NumItems);
        var t = new long[targets.Length];
        var logQ = new float[targets.Length];
        for (int s = 0; s < t.Length; s++)
        {
            if ((uint)targets[s] >= (uint)NumItems) throw new ArgumentOutOfRangeException(nameof(targets), targets[s], $"must be in 0..{NumItems - 1}.");
            t[s] = targets[s]; logQ[s] = _logQ[targets[s]];
        }
        var inputs = network.ItemInputs();
        var u = network.UserVectors(inputs, items, weights, width, users?.Select(x => (long)x).ToArray());
        var v = network.ItemVectors(inputs.index_select(0, tensor(t, device: device)));
        return LogQSoftmax.Loss(u, v, t, logQ, _o.Temperature);
    }

    /// <summary>Item vectors = the item tower over every item; user rows with UserIds; an encoder over a CPU copy of the network.</summary>
    public ModelSnapshot Snapshot()
    {
        float[] items, users = [];
        using (NewDisposeScope())
        using (no_grad())
        {
            var inputs = network.ItemInputs();
            items = network.ItemVectors(inputs).cpu().contiguous().data<float>().ToArray();
            if (network.HasUserRows)
            {
                users = new float[NumUsers * _o.Dim];
                for (int start = 0; start < NumUsers; start += Chunk)
                {
                    int n = Math.Min(Chunk, NumUsers - start);
                    var histories = new int[n][];
                    var ids = new long[n];
                    for (int k = 0; k < n; k++) { histories[k] = History(start + k).ToArray(); ids[k] = start + k; }
                    int width = _pooling.Width(histories);
                    var (rows, weights) = _pooling.Rows(histories, width, NumItems);
                    network.UserVectors(inputs, rows, weights, width, ids).cpu().contiguous().data<float>()
                        .CopyTo(users.AsSpan(start * _o.Dim, n * _o.Dim));
                }
            }
        }
        // Outside the dispose scope: the encoder's own network must not be disposed with the scope's temporaries.
        return new ModelSnapshot(new ModelEmbeddings(users, items, _o.Dim)) { Encoder = new TwoTowerEncoder(_o, network) };
    }

    /// <summary>log(count of item i among targets / all targets), a target being every history item but each user's first.</summary>
    private static float[] TargetLogShares(UserHistories histories, int numItems)
    {
        var count = new long[numItems];
        long total = 0;
        for (int u = 0; u < histories.NumUsers; u++)
        {
            var h = histories.ItemsOf(u);
            for (int j = 1; j < h.Length; j++) { count[h[j]]++; total++; }
        }
        // An item that is never a target never enters a batch; 0 keeps the array finite.
        return count.Select(c => c == 0 ? 0f : (float)Math.Log((double)c / total)).ToArray();
    }
}
