using Recsys.Data;
using Recsys.Tables;
using Recsys.Training;
using Recsys.Training.Objectives;
using static TorchSharp.torch;

namespace Recsys.Models;

/// <summary>
/// SASRec (Kang &amp; McAuley, ICDM 2018) as an <see cref="IRecommenderModel"/>: a <see cref="SasRecNetwork"/> trained
/// on next-item prediction at every position of each user's last MaxLength + 1 training items (one
/// <see cref="SasRecPhase"/> per epoch), with full-softmax cross-entropy or binary cross-entropy against one sampled
/// negative. The item table is the network's own (the default full table) or any registry table
/// (<see cref="SequentialItemTable"/>); a DNIS table's α steps on the validation split through
/// <see cref="SasRecHeldOutPhase"/>. Its snapshot has the item table as item vectors, no user rows, and a <see cref="SasRecEncoder"/> that
/// encodes a history into the final position's hidden state. Dropout draws from its own <see cref="DropoutStream"/>.
/// The trainer's <c>Reg</c> (an L2 on BPR batches) is not used.
/// </summary>
public sealed class SasRec : nn.Module, IRecommenderModel
{
    private readonly SasRecOptions _o;
    private readonly UserHistories _histories;
    private readonly DropoutStream _dropout;
    // Field names are checkpoint keys; item_table exists only for a registry (non-full) item table.
    private readonly EmbeddingTable? item_table;
    private readonly SasRecNetwork network;

    public SasRec(SasRecOptions o, ModelInputs inputs, ulong seed) : base("SasRec")
    {
        ArgumentNullException.ThrowIfNull(o);
        ArgumentNullException.ThrowIfNull(inputs);
        _o = o;
        _histories = inputs.Histories ?? throw new InvalidDataException(SasRecOptions.Unsupported(inputs));
        NumItems = inputs.NumItems; NumUsers = inputs.NumUsers;
        item_table = SequentialItemTable.Create(o, inputs, seed + 5);
        network = new SasRecNetwork(o, NumItems, seed + 1, item_table);
        _dropout = new DropoutStream(seed + 2);
        RegisterComponents();
    }

    public string Kind => "sasrec";
    public nn.Module Module => this;
    public SasRecOptions Options => _o;
    public SasRecNetwork Network => network;
    public int NumItems { get; }
    public int NumUsers { get; }

    /// <summary>
    /// No user table (users are encoded from their histories). The default full table has one row per item (its padding
    /// row, which never trains, is counted in the parameters only); a registry table reports its own rows and parameters.
    /// </summary>
    public TableRows Tables => SequentialItemTable.Rows(item_table, NumItems, network.ItemTable?.numel() ?? 0);

    public long ParameterCount => parameters().Sum(p => p.numel());

    /// <summary>One epoch of training windows, then the phases of an item table that trains parameters of its own (DNIS's α on validation examples).</summary>
    public IReadOnlyList<ITrainingPhase> Phases(ModelInputs inputs, TrainerOptions options) =>
        [new SasRecPhase(this, options), .. SequentialItemTable.Phases(this, item_table, () => new SasRecPhase(this, options), (m, group, o) => new SasRecHeldOutPhase(this, m, o, group), inputs, options)];

    public IReadOnlyList<ParameterGroup> ParameterGroups(TrainerOptions options) => SequentialItemTable.ParameterGroups(this, item_table, options);

    public byte[]? SaveRandomState() => _dropout.SaveState();
    public void RestoreRandomState(byte[] state) => _dropout.RestoreState(state);

    /// <summary>Item vectors = the item rows (without padding); no user rows; the encoder holds a CPU copy of the network.</summary>
    public ModelSnapshot Snapshot()
    {
        float[] items;
        using (NewDisposeScope())
        using (no_grad())
            items = network.Items.cpu().contiguous().data<float>().ToArray();
        // Outside the dispose scope: the encoder's own network must not be disposed with the scope's temporaries.
        return new ModelSnapshot(new ModelEmbeddings([], items, _o.Dim)) { Encoder = new SasRecEncoder(_o, NumItems, network) };
    }

    /// <summary>User <paramref name="user"/>'s training items, oldest first.</summary>
    internal ReadOnlySpan<int> History(int user) => _histories.ItemsOf(user);

    /// <summary>
    /// Mean next-item loss of <paramref name="windows"/> (each ≥ 2 item ids, oldest first, at most MaxLength + 1):
    /// inputs are a window's items but the last, targets its items but the first. With the BCE objective,
    /// <paramref name="negatives"/>[s][j] is the negative item of target j of window s. Positions are left-padded to the
    /// longest window of the batch; padding positions are excluded from the mean. With <paramref name="finalOnly"/>, only
    /// each window's last item is a target (a held-out example: the history predicts it) and
    /// <paramref name="negatives"/>[s] holds its one BCE negative. Dropout applies in training mode.
    /// </summary>
    public Tensor Loss(IReadOnlyList<int[]> windows, IReadOnlyList<int[]>? negatives, Device device, bool finalOnly = false)
    {
        ArgumentNullException.ThrowIfNull(windows);
        bool bce = _o.Objective == SasRecObjective.BinaryCrossEntropy;
        if (bce && (negatives is null || negatives.Count != windows.Count))
            throw new ArgumentException("the BCE objective needs one negative list per window.", nameof(negatives));
        int b = windows.Count, t = 0;
        foreach (var w in windows)
        {
            if (w.Length < 2 || w.Length > _o.MaxLength + 1)
                throw new ArgumentOutOfRangeException(nameof(windows), w.Length, $"a window has 2..{_o.MaxLength + 1} items.");
            t = Math.Max(t, w.Length - 1);
        }
        var rows = new long[b * t];
        var positions = new List<long>();
        var targets = new List<long>();
        var negs = new List<long>();
        for (int s = 0; s < b; s++)
        {
            var w = windows[s];
            int n = w.Length - 1, pad = t - n;
            for (int j = 0; j < n; j++)
            {
                rows[s * t + pad + j] = w[j] + 1;
                if (finalOnly && j < n - 1) continue;
                positions.Add(s * t + pad + j);
                targets.Add(w[j + 1]);
                if (bce) negs.Add(negatives![s][finalOnly ? 0 : j]);
            }
        }
        var input = tensor(rows, [b, t], device: device);
        var hidden = network.Forward(input, training ? Drop : null).view(b * t, _o.Dim)
            .index_select(0, tensor(positions.ToArray(), device: device));             // [n, D] real positions only
        var target = tensor(targets.ToArray(), device: device);
        if (!bce) return nn.functional.cross_entropy(hidden.matmul(network.Items.t()), target);   // logits [n, NumItems]
        var items = network.Items;
        var pos = (hidden * items.index_select(0, target)).sum(1);
        var neg = (hidden * items.index_select(0, tensor(negs.ToArray(), device: device))).sum(1);
        return -(nn.functional.logsigmoid(pos) + nn.functional.logsigmoid(-neg)).mean();
    }

    /// <summary>Inverted dropout with a mask from the model's own stream (drawn on the host, the same on every device).</summary>
    private Tensor Drop(Tensor x)
    {
        if (_o.Dropout == 0) return x;
        var f = new float[x.numel()];
        _dropout.Scaled(f, _o.Dropout);
        return x * tensor(f, x.shape, device: x.device);
    }
}
