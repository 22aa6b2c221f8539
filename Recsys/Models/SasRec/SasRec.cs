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
/// negative. Its snapshot has the item table as item vectors, no user rows, and a <see cref="SasRecEncoder"/> that
/// encodes a history into the final position's hidden state. Dropout draws from its own <see cref="DropoutStream"/>.
/// The trainer's <c>Reg</c> (an L2 on BPR batches) is not used.
/// </summary>
public sealed class SasRec : nn.Module, IRecommenderModel
{
    private readonly SasRecOptions _o;
    private readonly UserHistories _histories;
    private readonly DropoutStream _dropout;
    // Field names are checkpoint keys.
    private readonly SasRecNetwork network;

    public SasRec(SasRecOptions o, ModelInputs inputs, ulong seed) : base("SasRec")
    {
        ArgumentNullException.ThrowIfNull(o);
        ArgumentNullException.ThrowIfNull(inputs);
        _o = o;
        _histories = inputs.Histories ?? throw new InvalidDataException(SasRecOptions.Unsupported(inputs));
        NumItems = inputs.NumItems; NumUsers = inputs.NumUsers;
        network = new SasRecNetwork(o, NumItems, seed + 1);
        _dropout = new DropoutStream(seed + 2);
        RegisterComponents();
    }

    public string Kind => "sasrec";
    public nn.Module Module => this;
    public SasRecOptions Options => _o;
    public SasRecNetwork Network => network;
    public int NumItems { get; }
    public int NumUsers { get; }

    /// <summary>No user table (users are encoded from their histories) and one item row per item (the padding row, which
    /// never trains, is counted in the parameters only), so compression reports see no reduction.</summary>
    public TableRows Tables => new(0, NumItems, 0, NumItems) { UserParameters = 0, ItemParameters = network.ItemTable.numel() };

    public long ParameterCount => parameters().Sum(p => p.numel());

    public IReadOnlyList<ITrainingPhase> Phases(ModelInputs inputs, TrainerOptions options) => [new SasRecPhase(this, options)];

    public IReadOnlyList<ParameterGroup> ParameterGroups(TrainerOptions options) =>
        [new(ParameterGroup.Default, parameters().ToArray(), options.LearningRate)];

    public byte[]? SaveRandomState() => _dropout.SaveState();
    public void RestoreRandomState(byte[] state) => _dropout.RestoreState(state);

    /// <summary>Item vectors = the item table without its padding row; no user rows; the encoder holds a CPU copy of the network.</summary>
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
    /// longest window of the batch; padding positions are excluded from the mean. Dropout applies in training mode.
    /// </summary>
    public Tensor Loss(IReadOnlyList<int[]> windows, IReadOnlyList<int[]>? negatives, Device device)
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
                positions.Add(s * t + pad + j);
                targets.Add(w[j + 1]);
                if (bce) negs.Add(negatives![s][j]);
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
