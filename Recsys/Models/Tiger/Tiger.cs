using Recsys.Data;
using Recsys.Data.SemanticIds;
using Recsys.Tables;
using Recsys.Training;
using Recsys.Training.Objectives;
using static TorchSharp.torch;

namespace Recsys.Models;

/// <summary>
/// TIGER (Rajput et al., NeurIPS 2023) as an <see cref="IRecommenderModel"/>: a <see cref="TigerNetwork"/> trained
/// with teacher forcing to write the code tuple of each training item from the codes of the (at most MaxItems)
/// items before it and the user's hashed token (one <see cref="TigerPhase"/> per epoch). Its snapshot carries a
/// <see cref="TigerGenerator"/> (constrained beam search: the model returns items, not a score per catalog item) and,
/// as item vectors, the sum of each item's code-token rows (for similar-item search). Dropout draws from its own
/// <see cref="DropoutStream"/>. The trainer's <c>Reg</c> is not used.
/// </summary>
public sealed class Tiger : nn.Module, IRecommenderModel
{
    private readonly TigerOptions _o;
    private readonly UserHistories _histories;
    private readonly DropoutStream _dropout;
    private readonly TigerTokens _tokens;
    private readonly CodeTrie _trie;
    // Field names are checkpoint keys.
    private readonly TigerNetwork network;

    public Tiger(TigerOptions o, ModelInputs inputs, SemanticIdCodes codes, ulong seed) : base("Tiger")
    {
        ArgumentNullException.ThrowIfNull(o);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(codes);
        if (codes.NumItems != inputs.NumItems)
            throw new ArgumentOutOfRangeException(nameof(TigerOptions.Codes), o.Codes, $"the codes file has {codes.NumItems} items, the dataset {inputs.NumItems}.");
        _o = o;
        _histories = inputs.Histories ?? throw new InvalidDataException(TigerOptions.Unsupported(inputs));
        NumItems = inputs.NumItems; NumUsers = inputs.NumUsers;
        _tokens = new TigerTokens(codes, o.UserBuckets, o.MaxItems);
        _trie = CodeTrie.Of(codes);
        network = new TigerNetwork(o, _tokens, seed + 1);
        _dropout = new DropoutStream(seed + 2);
        RegisterComponents();
    }

    public string Kind => "tiger";
    public nn.Module Module => this;
    public TigerOptions Options => _o;
    public TigerNetwork Network => network;
    public TigerTokens Tokens => _tokens;
    public CodeTrie Trie => _trie;
    public int NumItems { get; }
    public int NumUsers { get; }

    /// <summary>No user table (users are hashed into tokens of the shared table) and no row per item: the item side is the code tokens.</summary>
    public TableRows Tables => new(0, _tokens.CodeTokens, 0, NumItems) { UserParameters = 0, ItemParameters = (long)_tokens.CodeTokens * _o.Dim };

    public long ParameterCount => parameters().Sum(p => p.numel());

    public IReadOnlyList<ITrainingPhase> Phases(ModelInputs inputs, TrainerOptions options) => [new TigerPhase(this, options)];

    public IReadOnlyList<ParameterGroup> ParameterGroups(TrainerOptions options) =>
        [new(ParameterGroup.Default, parameters().ToArray(), options.LearningRate)];

    public byte[]? SaveRandomState() => _dropout.SaveState();
    public void RestoreRandomState(byte[] state) => _dropout.RestoreState(state);

    /// <summary>Item vectors = summed code-token rows; no user rows; the generator holds a CPU copy of the network.</summary>
    public ModelSnapshot Snapshot()
    {
        float[] items;
        using (NewDisposeScope())
        using (no_grad())
            items = network.ItemVectors().cpu().contiguous().data<float>().ToArray();
        // Outside the dispose scope: the generator's own network must not be disposed with the scope's temporaries.
        return new ModelSnapshot(new ModelEmbeddings([], items, _o.Dim)) { Generator = new TigerGenerator(_o, _tokens, _trie, network) };
    }

    /// <summary>User <paramref name="user"/>'s training items, oldest first.</summary>
    internal ReadOnlySpan<int> History(int user) => _histories.ItemsOf(user);

    /// <summary>
    /// Mean teacher-forcing cross-entropy of writing <paramref name="targets"/>[r]'s code tuple after
    /// <paramref name="histories"/>[r] (item ids, oldest first; the last MaxItems are read) of user
    /// <paramref name="users"/>[r]: decoder step t reads [start, c₁ … c_t] and is scored by a softmax over level t's
    /// codes; the loss is the mean over rows and levels. Dropout applies in training mode.
    /// </summary>
    public Tensor Loss(IReadOnlyList<int> users, IReadOnlyList<int[]> histories, IReadOnlyList<int> targets, Device device)
    {
        ArgumentNullException.ThrowIfNull(users);
        ArgumentNullException.ThrowIfNull(histories);
        ArgumentNullException.ThrowIfNull(targets);
        int n = users.Count, w = _tokens.Width;
        if (histories.Count != n || targets.Count != n) throw new ArgumentException("one history and one target per user.", nameof(targets));
        var drop = training && _o.Dropout > 0 ? Drop : (Func<Tensor, Tensor>?)null;
        var (rows, s) = _tokens.Source(users, histories, 0, n, nameof(histories));
        var (memory, padding) = network.Encode(tensor(rows, [n, s], device: device), drop);
        var decoderRows = new long[n * w];
        var codes = new long[w][];
        for (int c = 0; c < w; c++) codes[c] = new long[n];
        for (int r = 0; r < n; r++)
        {
            if ((uint)targets[r] >= (uint)NumItems) throw new ArgumentOutOfRangeException(nameof(targets), targets[r], $"items are 0..{NumItems - 1}.");
            var tuple = _tokens.Codes.Of(targets[r]);
            decoderRows[r * w] = TigerTokens.Bos;
            for (int c = 0; c < w; c++)
            {
                codes[c][r] = tuple[c];
                if (c + 1 < w) decoderRows[r * w + c + 1] = _tokens.Code(c, tuple[c]);
            }
        }
        var hidden = network.Decode(tensor(decoderRows, [n, w], device: device), network.CrossKeys(memory), padding, drop);
        var logits = network.Logits(hidden);                                                   // [n, W, CodeTokens]
        Tensor? loss = null;
        for (int c = 0; c < w; c++)
        {
            var level = logits.select(1, c).narrow(1, _tokens.Offset(c), _tokens.Cardinality(c));
            var term = nn.functional.cross_entropy(level, tensor(codes[c], device: device));
            loss = loss is null ? term : loss + term;
        }
        return loss! / w;
    }

    /// <summary>Inverted dropout with a mask from the model's own stream (drawn on the host, the same on every device).</summary>
    private Tensor Drop(Tensor x)
    {
        var f = new float[x.numel()];
        _dropout.Scaled(f, _o.Dropout);
        return x * tensor(f, x.shape, device: x.device);
    }
}
