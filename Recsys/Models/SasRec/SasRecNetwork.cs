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
    private readonly CausalMasks _masks = new();
    // Field names are checkpoint keys.
    private readonly Parameter? item_embedding;     // the default full table only; a registry table lives in the model
    private readonly Parameter position_embedding;
    private readonly ModuleList<CausalAttentionBlock> blocks;
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
        if (itemTable is null) item_embedding = new Parameter(SeededLayers.Glorot(numItems + 1, o.Dim, g));
        ItemRows = itemTable is null ? SequenceItems.OverPadded(() => item_embedding!) : SequenceItems.Over(itemTable);
        position_embedding = new Parameter(SeededLayers.Glorot(o.MaxLength, o.Dim, g));
        blocks = nn.ModuleList(Enumerable.Range(0, o.Blocks).Select(_ => new CausalAttentionBlock(o.Dim, g)).ToArray());
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
        var mask = _masks.History(real);                                               // [B, 1, T, T]
        foreach (var block in blocks) x = block.Forward(x, mask, keep, _heads, drop);
        return final_norm.forward(x);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _masks.Dispose();
        base.Dispose(disposing);
    }
}
