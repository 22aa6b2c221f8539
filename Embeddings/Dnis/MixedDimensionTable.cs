using Recsys.Tables;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Recsys.Embeddings.Dnis;

/// <summary>
/// A table that stores each frequency block at its own width: block b is a trainable [n_b, w_b] matrix holding the
/// columns <c>kept[b]</c> of the model's width, and an id's row is its stored values at those columns with zeros
/// elsewhere (padding by position, not a learned projection: the row equals the masked full row it was pruned from,
/// and a user and an item interact only on the columns both kept). Only the block matrices and kept columns are
/// saved; the id → block maps are recomputed from the data, so the parameter count and the saved file shrink with the widths.
/// </summary>
public sealed class MixedDimensionTable : EmbeddingTable
{
    private readonly int[][] _kept;

    /// <param name="blocks">The frequency blocks of the ids.</param>
    /// <param name="kept">Sorted distinct columns in 0..dim-1 each block keeps (may be empty).</param>
    /// <param name="dim">Width of the returned rows.</param>
    /// <param name="std">Standard deviation of the normal initialisation.</param>
    /// <param name="seed">Seed of the initial weights.</param>
    public MixedDimensionTable(FrequencyBlocks blocks, IReadOnlyList<IReadOnlyList<int>> kept, int dim, double std = 0.1, ulong seed = 0)
        : base(nameof(MixedDimensionTable))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dim, 1, nameof(dim));
        MixedDimensionTableSpec.CheckKept(kept, blocks.Blocks, dim);
        Blocks = blocks; Dim = dim;
        _kept = kept.Select(k => k.ToArray()).ToArray();
        using (var g = new Generator(seed, CPU))
            for (int b = 0; b < blocks.Blocks; b++)
            {
                if (_kept[b].Length == 0) continue;
                var w = empty(blocks.Size(b), _kept[b].Length);
                using (no_grad()) w.normal_(0, std, g);
                register_parameter(Weight(b), new Parameter(w));
                register_buffer(Columns(b), tensor(_kept[b].Select(c => (long)c).ToArray())); // small; saved so a file shows its layout
            }
        // Functions of the data: recomputed, not saved.
        _blockOf = new DeviceIndex(blocks.BlockOf);
        _positionOf = new DeviceIndex(blocks.PositionOf);
        _rankOf = new DeviceIndex(Enumerable.Range(0, blocks.Count).Select(id => blocks.Start(blocks.BlockOf[id]) + blocks.PositionOf[id]));
    }

    private readonly DeviceIndex _blockOf, _positionOf;
    /// <summary>Where each id sits in <see cref="FrequencyBlocks.Order"/>: its block's start plus its position there.</summary>
    private readonly DeviceIndex _rankOf;

    public override int Count => Blocks.Count;
    public override int Dim { get; }
    /// <summary>One (variable-width) row per id.</summary>
    public override int Rows => Blocks.Count;
    /// <summary>Σ_b n_b · w_b.</summary>
    public override long Parameters => Enumerable.Range(0, Blocks.Blocks).Sum(b => (long)Blocks.Size(b) * _kept[b].Length);

    public FrequencyBlocks Blocks { get; }
    /// <summary>Width kept by each block.</summary>
    public int[] Widths => _kept.Select(k => k.Length).ToArray();
    /// <summary>Columns kept by block <paramref name="b"/>.</summary>
    public IReadOnlyList<int> Kept(int b) => _kept[b];

    public override Tensor All()
    {
        // The padded blocks stacked in block order, then one gather to id order: copying each block into an id-order
        // table would copy the whole table once per block, forward and backward, and LightGCN asks for it every step.
        var (weights, buffers) = State();
        var first = weights.Values.FirstOrDefault();
        var device = first?.device ?? CPU;
        var dtype = first?.dtype ?? ScalarType.Float32;
        var parts = new Tensor[Blocks.Blocks];
        for (int b = 0; b < Blocks.Blocks; b++)
            parts[b] = weights.TryGetValue(Weight(b), out var w) ? Pad(w, buffers[Columns(b)]) : zeros(Blocks.Size(b), Dim, dtype: dtype, device: device);
        return cat(parts, 0).index_select(0, _rankOf.On(device));
    }

    public override Tensor Lookup(Tensor ids)
    {
        var (weights, buffers) = State();
        var first = weights.Values.FirstOrDefault();
        var rows = zeros(ids.shape[0], Dim, dtype: first?.dtype ?? ScalarType.Float32, device: ids.device);
        var block = _blockOf.On(ids.device).index_select(0, ids);
        var position = _positionOf.On(ids.device).index_select(0, ids);
        for (int b = 0; b < Blocks.Blocks; b++)
        {
            if (!weights.TryGetValue(Weight(b), out var w)) continue;
            var sel = block.eq(b).nonzero().flatten();
            if (sel.shape[0] == 0) continue;
            rows = rows.index_copy(0, sel, Pad(w.index_select(0, position.index_select(0, sel)), buffers[Columns(b)]));
        }
        return rows;
    }

    /// <summary>
    /// Sets every block from full rows [Count, Dim] (row-major, id order): block b takes its ids' values at its kept
    /// columns — the pruned table of a DNIS search starts from the search's α-scaled rows this way.
    /// </summary>
    public void SetFrom(ReadOnlySpan<float> rows)
    {
        if (rows.Length != (long)Count * Dim) throw new ArgumentOutOfRangeException(nameof(rows), rows.Length, $"expected {Count} × {Dim} values.");
        var (weights, _) = State();
        for (int b = 0; b < Blocks.Blocks; b++)
        {
            if (!weights.TryGetValue(Weight(b), out var w)) continue;
            int width = _kept[b].Length, n = Blocks.Size(b);
            var values = new float[n * width];
            for (int r = 0; r < n; r++)
            {
                int id = Blocks.Order[Blocks.Start(b) + r];
                for (int c = 0; c < width; c++) values[r * width + c] = rows[id * Dim + _kept[b][c]];
            }
            using var _ = no_grad();
            using var src = tensor(values, [n, width]);
            w.copy_(src);
        }
    }

    private Tensor Pad(Tensor stored, Tensor columns) =>
        zeros(stored.shape[0], Dim, dtype: stored.dtype, device: stored.device).index_copy(1, columns, stored);

    // Read through the module's tables: Module.to(device) replaces registered parameters and buffers.
    private (Dictionary<string, Tensor> Weights, Dictionary<string, Tensor> Buffers) State() =>
        (named_parameters().ToDictionary(p => p.name, p => (Tensor)p.parameter), named_buffers().ToDictionary(b => b.name, b => b.buffer));

    private static string Weight(int b) => $"block_{b}";
    private static string Columns(int b) => $"columns_{b}";

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _blockOf.Dispose();
            _positionOf.Dispose();
            _rankOf.Dispose();
        }
        base.Dispose(disposing);
    }
}
