using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Recsys.Tables;

/// <summary>How a full table's rows are initialised.</summary>
public enum TableInit
{
    /// <summary>N(0, std²) — LightGCN / MF-BPR code (std 0.1).</summary>
    Normal,
    /// <summary>Glorot uniform over the [Count, Dim] matrix — NGCF code.</summary>
    XavierUniform,
}

/// <summary>One trainable row per id: weight [Count, Dim], initialised from its own generator seeded by <c>seed</c>.</summary>
public sealed class FullEmbeddingTable : EmbeddingTable
{
    private readonly Parameter weight;

    public FullEmbeddingTable(int count, int dim, TableInit init = TableInit.Normal, double std = 0.1, ulong seed = 0) : base(nameof(FullEmbeddingTable))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1, nameof(count));
        ArgumentOutOfRangeException.ThrowIfLessThan(dim, 1, nameof(dim));
        Count = count; Dim = dim;
        var w = empty(count, dim);
        using (no_grad())
        using (var g = new Generator(seed, CPU))
        {
            if (init == TableInit.Normal) w.normal_(0, std, g);
            else { double b = Math.Sqrt(6.0 / (count + dim)); w.uniform_(-b, b, g); } // Glorot uniform
        }
        weight = new Parameter(w);
        RegisterComponents();
    }

    public override int Count { get; }
    public override int Dim { get; }
    /// <summary>One row per id: <see cref="Count"/>.</summary>
    public override int Rows => Count;
    public override Tensor Lookup(Tensor ids) => weight.index_select(0, ids);
    public override Tensor All() => weight;
}
