using Recsys.Training;
using Recsys.Tables;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Recsys.Models;

/// <summary>
/// The SASRec network: item rows E (<see cref="SequenceItems"/>: its own table [NumItems + 1, Dim] with row 0 as padding
/// and item i as row i + 1, or a registry table the model holds, padding rows zero), learned positions P [MaxLength, Dim], <see cref="SasRecOptions.Blocks"/> causal self-attention blocks and a final layer norm.
/// Input rows [B, T] (T ≤ MaxLength) are left-padded with 0, the most recent item last; column t gets position
/// MaxLength − T + t, so the most recent item always has position MaxLength − 1 (the original's padded window) and a
/// batch may be trimmed to its longest sequence. A position attends to itself and to earlier non-padding positions
/// only, so padding never changes a real position's output and trimming is exact.
/// </summary>
public sealed class SasRecNetwork : nn.Module
{
    private readonly int _dim, _maxLength, _heads;
    private readonly Dictionary<(long T, string Device), (Tensor Causal, Tensor OffDiagonal)> _masks = new();
    // Field names are checkpoint keys.
    private readonly Parameter? item_embedding;     // the default full table only; a registry table lives in the model
    private readonly Parameter position_embedding;
    private readonly ModuleList<SasRecBlock> blocks;
    private readonly LayerNorm final_norm;

    /// <summary>
    /// A network with Glorot-uniform embeddings and weights drawn from a generator seeded by <paramref name="seed"/>;
    /// its own padded item table unless <paramref name="itemTable"/> (a registry table over the items, owned and
    /// registered by the caller) is given.
    /// </summary>
    public SasRecNetwork(SasRecOptions o, int numItems, ulong seed, IEmbeddingTable? itemTable = null) : base("SasRecNetwork")
    {
        _dim = o.Dim; _maxLength = o.MaxLength; _heads = o.Heads;
        using var g = new Generator(seed, CPU);
        if (itemTable is null) item_embedding = new Parameter(Glorot(numItems + 1, o.Dim, g));
        ItemRows = itemTable is null ? SequenceItems.OverPadded(() => item_embedding!) : SequenceItems.Over(itemTable);
        position_embedding = new Parameter(Glorot(o.MaxLength, o.Dim, g));
        blocks = nn.ModuleList(Enumerable.Range(0, o.Blocks).Select(_ => new SasRecBlock(o.Dim, g)).ToArray());
        final_norm = nn.LayerNorm(o.Dim, eps: 1e-8);
        RegisterComponents();
    }

    /// <summary>The network's own item table with its padding row, [NumItems + 1, Dim]; null when the model holds a registry table.</summary>
    public Parameter? ItemTable => item_embedding;

    /// <summary>Where the item rows come from.</summary>
    public SequenceItems ItemRows { get; }

    /// <summary>Item vectors [NumItems, Dim] (the input rows without padding; also the output layer).</summary>
    public Tensor Items => ItemRows.All();

    /// <summary>Hidden states [B, T, Dim] of left-padded rows [B, T] (int64, 0 = padding), without dropout.</summary>
    public Tensor Forward(Tensor rows) => Forward(rows, null);

    /// <summary>Hidden states [B, T, Dim]; <paramref name="drop"/> applies dropout to a tensor (null: none).</summary>
    public Tensor Forward(Tensor rows, Func<Tensor, Tensor>? drop)
    {
        long b = rows.shape[0], t = rows.shape[1];
        if (t < 1 || t > _maxLength) throw new ArgumentOutOfRangeException(nameof(rows), t, $"sequence length must be in 1..{_maxLength}.");
        var real = rows.ne(KeptScalars.Of(0L));                                                        // [B, T]
        var keep = real.unsqueeze(-1).to(position_embedding.dtype);                   // [B, T, 1]
        var x = ItemRows.Rows(rows.flatten()).view(b, t, _dim).mul(KeptScalars.Of(Math.Sqrt(_dim)))
                .Plus(position_embedding.narrow(0, _maxLength - t, t));
        if (drop is not null) x = drop(x);
        x = x * keep;
        var (causal, offDiagonal) = Masks(t, rows.device);
        // Masked: a later key, or a padding key other than the position itself (so no row is fully masked).
        var mask = causal.logical_or(real.logical_not().view(b, 1, 1, t).logical_and(offDiagonal));   // [B, 1, T, T]
        foreach (var block in blocks) x = block.Forward(x, mask, keep, _heads, drop);
        return final_norm.forward(x);
    }

    /// <summary>The causal mask (key after query) and the off-diagonal mask, [T, T] bool, built once per length and device.</summary>
    private (Tensor Causal, Tensor OffDiagonal) Masks(long t, Device device)
    {
        var key = (t, device.ToString());
        if (_masks.TryGetValue(key, out var m)) return m;
        var causal = ones(t, t, dtype: ScalarType.Bool, device: device).triu(1).DetachFromDisposeScope();
        var off = eye(t, dtype: ScalarType.Bool, device: device).logical_not().DetachFromDisposeScope();
        _masks[key] = (causal, off);
        return (causal, off);
    }

    private static Tensor Glorot(long rows, long cols, Generator g)
    {
        double bound = Math.Sqrt(6.0 / (rows + cols));
        return empty(rows, cols).uniform_(-bound, bound, g);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            foreach (var (c, o) in _masks.Values) { c.Dispose(); o.Dispose(); }
            _masks.Clear();
        }
        base.Dispose(disposing);
    }
}

/// <summary>
/// One SASRec block as in the public PyTorch port (pmixer/SASRec.pytorch): Q = LN(x); x ← Q + MHA(Q, x, x) with the
/// causal mask and dropout on the attention weights; x ← LN(x); x ← x + Dropout(W₂ Dropout(ReLU(W₁ x))); padding
/// positions zeroed.
/// </summary>
public sealed class SasRecBlock : nn.Module
{
    private readonly LayerNorm attention_norm;
    private readonly Linear query, key, value, output;
    private readonly LayerNorm feed_forward_norm;
    private readonly Linear feed_forward_1, feed_forward_2;

    internal SasRecBlock(int dim, Generator g) : base("SasRecBlock")
    {
        attention_norm = nn.LayerNorm(dim, eps: 1e-8);
        query = SeededLayers.GlorotLinear(dim, dim, g);
        key = SeededLayers.GlorotLinear(dim, dim, g);
        value = SeededLayers.GlorotLinear(dim, dim, g);
        output = SeededLayers.GlorotLinear(dim, dim, g);
        feed_forward_norm = nn.LayerNorm(dim, eps: 1e-8);
        feed_forward_1 = SeededLayers.GlorotLinear(dim, dim, g);
        feed_forward_2 = SeededLayers.GlorotLinear(dim, dim, g);
        RegisterComponents();
    }

    /// <summary>x [B, T, D], mask [B, 1, T, T] (true = masked), keep [B, T, 1] → [B, T, D].</summary>
    internal Tensor Forward(Tensor x, Tensor mask, Tensor keep, int heads, Func<Tensor, Tensor>? drop)
    {
        long b = x.shape[0], t = x.shape[1], d = x.shape[2], dh = d / heads;
        var q = attention_norm.forward(x);
        var qh = query.forward(q).view(b, t, heads, dh).transpose(1, 2);               // [B, H, T, dh]
        var kh = key.forward(x).view(b, t, heads, dh).transpose(1, 2);
        var vh = value.forward(x).view(b, t, heads, dh).transpose(1, 2);
        var weights = qh.matmul(kh.transpose(2, 3)).div(KeptScalars.Of(Math.Sqrt(dh)))
            .masked_fill(mask, KeptScalars.Of(double.NegativeInfinity)).softmax(-1);                   // [B, H, T, T]
        if (drop is not null) weights = drop(weights);
        var attended = weights.matmul(vh).transpose(1, 2).reshape(b, t, d);
        x = feed_forward_norm.forward(q.Plus(output.forward(attended)));
        var h = nn.functional.relu(feed_forward_1.forward(x));
        if (drop is not null) h = drop(h);
        h = feed_forward_2.forward(h);
        if (drop is not null) h = drop(h);
        return x.Plus(h) * keep;
    }
}
