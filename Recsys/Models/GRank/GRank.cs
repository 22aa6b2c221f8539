using Recsys.Data;
using Recsys.Tables;
using Recsys.Training;
using Recsys.Training.Objectives;
using static TorchSharp.torch;

namespace Recsys.Models;

/// <summary>
/// GRank as an <see cref="IRecommenderModel"/>: a <see cref="GRankGenerator"/> and a <see cref="GRankRanker"/>
/// sharing the item table (the generator's own, or any registry table: <see cref="SequentialItemTable"/>), trained
/// jointly by one <see cref="GRankPhase"/> per epoch on each user's last training items; a DNIS table's α steps on the
/// validation split through <see cref="GRankHeldOutPhase"/>. Its snapshot has the item table as item vectors (exact MIPS), a <see cref="GRankEncoder"/> (the query
/// token's output) and, when the ranker is trained (λ2 &gt; 0), a <see cref="GRankCandidateRanker"/>. Dropout draws
/// from its own <see cref="DropoutStream"/>. The trainer's <c>Reg</c> is not used.
/// </summary>
public sealed class GRank : nn.Module, IRecommenderModel
{
    private readonly GRankOptions _o;
    private readonly UserHistories _histories;
    private readonly DropoutStream _dropout;
    private readonly float[] _targetShare;
    // Field names are checkpoint keys; item_table exists only for a registry (non-full) item table.
    private readonly EmbeddingTable? item_table;
    private readonly GRankGenerator generator;
    private readonly GRankRanker ranker;

    public GRank(GRankOptions o, ModelInputs inputs, ulong seed) : base("GRank")
    {
        ArgumentNullException.ThrowIfNull(o);
        ArgumentNullException.ThrowIfNull(inputs);
        _o = o;
        _histories = inputs.Histories ?? throw new InvalidDataException(GRankOptions.Unsupported(inputs));
        NumItems = inputs.NumItems; NumUsers = inputs.NumUsers;
        item_table = SequentialItemTable.Create(o, inputs, seed + 5);
        generator = new GRankGenerator(o, NumItems, seed + 1, item_table);
        ranker = new GRankRanker(o, NumItems, seed + 3);
        _dropout = new DropoutStream(seed + 2);
        _targetShare = TargetShare(_histories, NumUsers, NumItems);
        RegisterComponents();
    }

    /// <summary>
    /// Share of the trained users (≥ 2 training items) whose last training item is each item: the probability that
    /// an in-batch candidate (another user's target) is that item.
    /// </summary>
    public static float[] TargetShare(UserHistories histories, int numUsers, int numItems)
    {
        var share = new float[numItems];
        int users = 0;
        for (int u = 0; u < numUsers; u++)
        {
            var h = histories.ItemsOf(u);
            if (h.Length < 2) continue;
            share[h[^1]]++;
            users++;
        }
        if (users > 0) for (int i = 0; i < numItems; i++) share[i] /= users;
        return share;
    }

    /// <summary>log of the expected count of each item among <paramref name="drawn"/> in-batch candidates and <paramref name="uniform"/> uniform ones, on <paramref name="device"/>.</summary>
    private Tensor LogExpectedCount(Tensor items, long drawn, long uniform, Device device)
    {
        var share = tensor(_targetShare, device: device).index_select(0, items.flatten()).view(items.shape);
        return (share * drawn + (double)uniform / NumItems).clamp_min(1e-12).log();
    }

    public string Kind => "grank";
    public nn.Module Module => this;
    public GRankOptions Options => _o;
    public GRankGenerator Generator => generator;
    public GRankRanker Ranker => ranker;
    public int NumItems { get; }
    public int NumUsers { get; }

    /// <summary>No user table; the default full table has one item row per item (its padding row is counted in the parameters only), a registry table reports its own.</summary>
    public TableRows Tables => SequentialItemTable.Rows(item_table, NumItems, generator.ItemTable?.numel() ?? 0);

    public long ParameterCount => parameters().Sum(p => p.numel());

    /// <summary>One epoch of joint training, then the phases of an item table that trains parameters of its own (DNIS's α on validation examples).</summary>
    public IReadOnlyList<ITrainingPhase> Phases(ModelInputs inputs, TrainerOptions options) =>
        [new GRankPhase(this, options), .. SequentialItemTable.Phases(this, item_table, () => new GRankPhase(this, options), (m, group, o) => new GRankHeldOutPhase(this, m, o, group), inputs, options)];

    public IReadOnlyList<ParameterGroup> ParameterGroups(TrainerOptions options) => SequentialItemTable.ParameterGroups(this, item_table, options);

    public byte[]? SaveRandomState() => _dropout.SaveState();
    public void RestoreRandomState(byte[] state) => _dropout.RestoreState(state);

    /// <summary>Item vectors = the item rows (without padding); the encoder and the ranker hold CPU copies.</summary>
    public ModelSnapshot Snapshot()
    {
        float[] items;
        using (NewDisposeScope())
        using (no_grad())
            items = generator.Items.cpu().contiguous().data<float>().ToArray();
        // Outside the dispose scope: the copies' parameters must not be disposed with the scope's temporaries.
        return new ModelSnapshot(new ModelEmbeddings([], items, _o.Dim))
        {
            Encoder = new GRankEncoder(_o, NumItems, generator),
            Ranker = _o.CrossAttentionWeight > 0 ? new GRankCandidateRanker(_o, NumItems, generator, ranker) : null,
        };
    }

    /// <summary>User <paramref name="user"/>'s training items, oldest first.</summary>
    internal ReadOnlySpan<int> History(int user) => _histories.ItemsOf(user);

    /// <summary>
    /// The ranker's extra negatives of <paramref name="batches"/> batches: RankerNegatives uniform items each, none when
    /// the ranker term is off. Drawn up front so a batch's loss does not depend on the order batches are computed in.
    /// </summary>
    internal int[][] DrawRankerNegatives(int batches, ref Xoshiro256 rng)
    {
        int per = _o.CrossAttentionWeight > 0 ? _o.RankerNegatives : 0;
        var negatives = new int[batches][];
        for (int b = 0; b < batches; b++)
        {
            var n = negatives[b] = new int[per];
            for (int k = 0; k < per; k++) n[k] = rng.NextInt(NumItems);
        }
        return negatives;
    }

    /// <summary>
    /// Joint loss of a batch: <paramref name="windows"/>[s] holds 2..MaxLength + 1 item ids (oldest first; inputs are
    /// all but the last), <paramref name="longHistories"/>[s] the ranker's history (at most RankerLength items, those
    /// before the window's last item; may be empty), and <paramref name="negatives"/> extra ranker negatives shared by
    /// the batch.
    /// λ0: the query token after each of the last TrainedPrefixes prefixes predicts the next item, full softmax over all items;
    /// λ1 (target-aware): each row's last item and the last items of the next SelfAttentionNegatives rows (cyclically)
    /// are injected as candidate tokens that attend to the row's window and themselves; score = output · item vector,
    /// the row's own target is the positive;
    /// λ2: the two-stage score (query token · item + the ranker's cross-attention score against the long history) of
    /// the last items of all rows plus <paramref name="negatives"/>.
    /// Logits are divided by the temperature; a candidate equal to a row's own target in another column leaves that
    /// row's softmax. Dropout applies in training mode. <paramref name="trainedPrefixes"/> overrides
    /// <see cref="GRankOptions.TrainedPrefixes"/> (1 on held-out examples: only the final item is a next-item target).
    /// </summary>
    public Tensor Loss(IReadOnlyList<int[]> windows, IReadOnlyList<int[]> longHistories, int[] negatives, Device device, int? trainedPrefixes = null)
    {
        ArgumentNullException.ThrowIfNull(windows);
        ArgumentNullException.ThrowIfNull(longHistories);
        ArgumentNullException.ThrowIfNull(negatives);
        if (longHistories.Count != windows.Count) throw new ArgumentException("one long history per window.", nameof(longHistories));
        int b = windows.Count, t = 0, l = 1;
        for (int s = 0; s < b; s++)
        {
            var w = windows[s];
            if (w.Length < 2 || w.Length > _o.MaxLength + 1)
                throw new ArgumentOutOfRangeException(nameof(windows), w.Length, $"a window has 2..{_o.MaxLength + 1} items.");
            t = Math.Max(t, w.Length - 1);
            if (longHistories[s].Length > _o.RankerLength)
                throw new ArgumentOutOfRangeException(nameof(longHistories), longHistories[s].Length, $"a long history has at most {_o.RankerLength} items.");
            l = Math.Max(l, longHistories[s].Length);
        }
        int p = Math.Min(trainedPrefixes ?? _o.TrainedPrefixes, t);    // query tokens after columns t − p .. t − 1
        var rows = new long[b * t];
        var longRows = new long[b * l];
        var positions = new List<long>();
        var targets = new List<long>();
        var last = new long[b];
        for (int s = 0; s < b; s++)
        {
            var w = windows[s];
            int n = w.Length - 1, pad = t - n;
            for (int j = 0; j < n; j++)
            {
                rows[s * t + pad + j] = w[j] + 1;
                if (pad + j < t - p) continue;
                positions.Add(s * p + pad + j - (t - p));
                targets.Add(w[j + 1]);
            }
            last[s] = w[n];
            var h = longHistories[s];
            for (int j = 0; j < h.Length; j++) longRows[s * l + (l - h.Length) + j] = h[j] + 1;
        }
        var input = tensor(rows, [b, t], device: device);
        var lastItems = tensor(last, device: device);
        var diagonal = arange(b, dtype: ScalarType.Int64, device: device);
        var drop = training ? (Func<Tensor, Tensor>)Drop : null;
        bool targetAware = _o.TargetAware && _o.SelfAttentionWeight > 0;
        int c = Math.Min(_o.SelfAttentionNegatives, b - 1) + 1;

        // Side tokens: a query token after each trained prefix (sees columns ≤ its own), then the injected candidates (see the whole window).
        var (causal, _) = generator.Masks(t, device);
        var padding = input.eq(0).view(b, 1, t);
        var side = generator.QueryTokens(input.narrow(1, t - p, p));
        var sideMask = causal.narrow(0, t - p, p).view(1, p, t).logical_or(padding);   // [B, P, T]
        Tensor? candidateItems = null;
        if (targetAware)
        {
            var rowOf = (diagonal.view(b, 1) + arange(c, dtype: ScalarType.Int64, device: device).view(1, c)).remainder(b);
            candidateItems = lastItems.index_select(0, rowOf.flatten()).view(b, c);    // column 0: the row's own target
            side = cat([side, generator.CandidateTokens(candidateItems)], 1);
            sideMask = cat([sideMask, padding.expand(b, c, t)], 1);
        }
        var (_, outputs) = generator.Forward(input, side, sideMask, drop);
        var items = generator.Items;
        Tensor loss = zeros(1, device: device).squeeze();
        if (_o.NextItemWeight > 0)
        {
            var queries = outputs!.narrow(1, 0, p).reshape(b * p, _o.Dim).index_select(0, tensor(positions.ToArray(), device: device));
            loss = loss + _o.NextItemWeight * InfoNce.Loss(queries.matmul(items.t()), tensor(targets.ToArray(), device: device), null, _o.Temperature);
        }
        if (candidateItems is not null)
        {
            var logits = (outputs!.narrow(1, p, c) * items.index_select(0, candidateItems.flatten()).view(b, c, _o.Dim)).sum(-1);   // [B, C]
            if (_o.PopularityCorrection) logits = logits - _o.Temperature * LogExpectedCount(candidateItems, c, 0, device);
            var first = zeros(b, dtype: ScalarType.Int64, device: device);
            loss = loss + _o.SelfAttentionWeight * InfoNce.Loss(logits, first, InfoNce.FalseNegatives(candidateItems, lastItems, first), _o.Temperature);
        }
        if (_o.CrossAttentionWeight > 0)
        {
            var pool = negatives.Length == 0 ? lastItems : cat([lastItems, tensor(negatives.Select(i => (long)i).ToArray(), device: device)]);
            // The ranker scores on top of the generator: its cross-attention term corrects the query token's dot product.
            var generatorScores = outputs!.select(1, p - 1).matmul(items.index_select(0, pool).t());     // [B, C]: query after the whole window
            var scores = ranker.Scores(generator.ItemRows, tensor(longRows, [b, l], device: device), pool) + generatorScores;
            if (_o.PopularityCorrection) scores = scores - _o.Temperature * LogExpectedCount(pool, b, negatives.Length, device).view(1, -1);
            loss = loss + _o.CrossAttentionWeight * InfoNce.Loss(scores, diagonal, InfoNce.FalseNegatives(pool, lastItems, diagonal), _o.Temperature);
        }
        return loss;
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
