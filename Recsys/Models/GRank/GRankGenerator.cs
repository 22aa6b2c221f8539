using Recsys.Training;
using Recsys.Tables;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Recsys.Models;

/// <summary>
/// The GRank generator: item rows E (<see cref="SequenceItems"/>, shared with the ranker: its own table
/// [NumItems + 1, Dim] with row 0 as padding and item i as row i + 1, or a registry table the model holds, padding rows
/// zero), learned positions P [MaxLength, Dim], a learned query token, a learned candidate marker, pre-LN causal
/// self-attention blocks and a final layer norm. History rows [B, T] (T ≤ MaxLength) are left-padded with 0, the most
/// recent item last (column t has position MaxLength − T + t). A history position attends to itself and earlier real
/// positions. <b>Side tokens</b> — the query token and, in training, injected candidates — attend to the history
/// positions their mask allows and to themselves; nothing attends to them (see <see cref="GRankBlock"/>), so the
/// history states and the query token's output never depend on injected candidates.
/// </summary>
public sealed class GRankGenerator : nn.Module
{
    private readonly int _dim, _maxLength, _heads;
    private readonly bool _queryFromLastItem;
    private readonly CausalMasks _masks = new();
    // Field names are checkpoint keys.
    private readonly Parameter? item_embedding;     // the default full table only; a registry table lives in the model
    private readonly Parameter position_embedding;
    private readonly Parameter query_token;
    private readonly Parameter candidate_marker;
    private readonly ModuleList<GRankBlock> blocks;
    private readonly LayerNorm final_norm;

    /// <summary>
    /// A generator with Glorot-uniform embeddings and weights drawn from a generator seeded by <paramref name="seed"/>;
    /// its own padded item table unless <paramref name="itemTable"/> (a registry table over the items, owned and
    /// registered by the caller) is given.
    /// </summary>
    public GRankGenerator(GRankOptions o, int numItems, ulong seed, IEmbeddingTable? itemTable = null) : base("GRankGenerator")
    {
        _dim = o.Dim; _maxLength = o.MaxLength; _heads = o.Heads; _queryFromLastItem = o.QueryFromLastItem;
        using var g = new Generator(seed, CPU);
        if (itemTable is null) item_embedding = new Parameter(SeededLayers.Glorot(numItems + 1, o.Dim, g));
        ItemRows = itemTable is null ? SequenceItems.OverPadded(() => item_embedding!) : SequenceItems.Over(itemTable);
        position_embedding = new Parameter(SeededLayers.Glorot(o.MaxLength, o.Dim, g));
        query_token = new Parameter(SeededLayers.Glorot(1, o.Dim, g));
        candidate_marker = new Parameter(SeededLayers.Glorot(1, o.Dim, g));
        blocks = nn.ModuleList(Enumerable.Range(0, o.Blocks).Select(_ => new GRankBlock(o.Dim, g)).ToArray());
        final_norm = nn.LayerNorm(o.Dim, eps: 1e-8);
        RegisterComponents();
    }

    /// <summary>The causal and off-diagonal masks of a history length on a device (cached; owned by the generator).</summary>
    internal (Tensor Causal, Tensor OffDiagonal) Masks(long t, Device device) => _masks.For(t, device);

    public int Dim => _dim;
    public int MaxLength => _maxLength;

    /// <summary>The generator's own item table with its padding row, [NumItems + 1, Dim]; null when the model holds a registry table.</summary>
    public Parameter? ItemTable => item_embedding;

    /// <summary>Where the item rows come from (shared with the ranker).</summary>
    public SequenceItems ItemRows { get; }

    /// <summary>Item vectors [NumItems, Dim] (the input rows without padding; also what serving searches).</summary>
    public Tensor Items => ItemRows.All();

    /// <summary>
    /// The query tokens' inputs [B, S, Dim] placed after the history columns whose padded ids are
    /// <paramref name="lastRows"/> [B, S] (int64, 0 = padding): the learned token, plus with
    /// <see cref="GRankOptions.QueryFromLastItem"/> that column's item row scaled as history inputs are (zero after padding).
    /// </summary>
    public Tensor QueryTokens(Tensor lastRows)
    {
        long b = lastRows.shape[0], s = lastRows.shape[1];
        var token = query_token.view(1, 1, _dim).expand(b, s, _dim);
        if (!_queryFromLastItem) return token;
        var real = lastRows.ne(KeptScalars.Of(0L)).unsqueeze(-1).to(position_embedding.dtype);
        return token.Plus(ItemRows.Rows(lastRows.flatten()).view(b, s, _dim).mul(KeptScalars.Of(Math.Sqrt(_dim))) * real);
    }

    /// <summary>Injected candidate tokens of items [B, C] (int64 item ids): E[item]·√Dim + the candidate marker, [B, C, Dim].</summary>
    public Tensor CandidateTokens(Tensor items)
    {
        long b = items.shape[0], c = items.shape[1];
        return ItemRows.Lookup(items.flatten()).view(b, c, _dim).mul(KeptScalars.Of(Math.Sqrt(_dim))).Plus(candidate_marker.view(1, 1, _dim));
    }

    /// <summary>
    /// History states [B, T, Dim] and side-token outputs [B, S, Dim] (null without side tokens) of left-padded rows
    /// [B, T] (int64, 0 = padding), side-token inputs [B, S, Dim] and their mask [B, S, T] (true = history column hidden
    /// from that token). <paramref name="drop"/> applies dropout to a tensor (null: none).
    /// </summary>
    public (Tensor History, Tensor? Side) Forward(Tensor rows, Tensor? side, Tensor? sideMask, Func<Tensor, Tensor>? drop)
    {
        long b = rows.shape[0], t = rows.shape[1];
        if (t < 1 || t > _maxLength) throw new ArgumentOutOfRangeException(nameof(rows), t, $"sequence length must be in 1..{_maxLength}.");
        if ((side is null) != (sideMask is null)) throw new ArgumentException("side tokens and their mask go together.", nameof(sideMask));
        var real = rows.ne(KeptScalars.Of(0L));                                                        // [B, T]
        var keep = real.unsqueeze(-1).to(position_embedding.dtype);                   // [B, T, 1]
        var x = ItemRows.Rows(rows.flatten()).view(b, t, _dim).mul(KeptScalars.Of(Math.Sqrt(_dim)))
                .Plus(position_embedding.narrow(0, _maxLength - t, t));
        if (drop is not null) x = drop(x);
        x = x * keep;
        var mask = _masks.History(real);                                               // [B, 1, T, T]
        Tensor? s = side, sMask = sideMask?.unsqueeze(1);
        if (s is not null && drop is not null) s = drop(s);
        foreach (var block in blocks) (x, s) = block.Forward(x, mask, keep, s, sMask, _heads, drop);
        return (final_norm.forward(x), s is null ? null : final_norm.forward(s));
    }

    /// <summary>Query-token outputs [B, Dim] after whole left-padded histories [B, T] (the serving path), without dropout.</summary>
    public Tensor Query(Tensor rows)
    {
        long b = rows.shape[0], t = rows.shape[1];
        var hidden = rows.eq(KeptScalars.Of(0L)).view(b, 1, t);
        return Forward(rows, QueryTokens(rows.narrow(1, t - 1, 1)), hidden, null).Side!.squeeze(1);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _masks.Dispose();
        base.Dispose(disposing);
    }
}
