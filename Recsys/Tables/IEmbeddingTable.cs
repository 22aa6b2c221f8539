using static TorchSharp.torch;

namespace Recsys.Tables;

/// <summary>
/// Maps ids to embedding rows inside a TorchSharp model (DESIGN.md seam). Full tables hold one row per id;
/// hashed, mixed-dimension and semantic-ID tables compute rows from shared parameters, so a model that only
/// talks to this interface works with all of them.
/// </summary>
public interface IEmbeddingTable
{
    /// <summary>Number of ids the table answers for (ids are 0..Count-1).</summary>
    int Count { get; }

    /// <summary>Width of the returned rows.</summary>
    int Dim { get; }

    /// <summary>
    /// Trainable rows of width <see cref="Dim"/> behind the ids: <see cref="Count"/> for a full table, the shared row
    /// count B for a hashed one. Compression reports compare this number.
    /// </summary>
    int Rows { get; }

    /// <summary>
    /// Trainable scalars of the table (Rows × Dim for full and hashed tables; not for mixed widths or code-sum tables,
    /// which count their own). Compression and search reports use this, not Rows × Dim.
    /// </summary>
    long Parameters { get; }

    /// <summary>Rows for <paramref name="ids"/> (int64 [n]) → float32 [n, Dim], differentiable w.r.t. the table's parameters.</summary>
    Tensor Lookup(Tensor ids);

    /// <summary>Rows of every id in order, float32 [Count, Dim] (graph models propagate the whole table).</summary>
    Tensor All();
}

/// <summary>
/// Base class of every table: a TorchSharp module (so models register it as a submodule and its parameters
/// train, save and move with the model) that implements <see cref="IEmbeddingTable"/>.
/// </summary>
public abstract class EmbeddingTable(string name) : TorchSharp.torch.nn.Module<Tensor, Tensor>(name), IEmbeddingTable
{
    public abstract int Count { get; }
    public abstract int Dim { get; }
    public abstract int Rows { get; }
    /// <summary>Sum of the sizes of the table's trainable parameters.</summary>
    public virtual long Parameters => parameters().Where(p => p.requires_grad).Sum(p => p.numel());
    public abstract Tensor Lookup(Tensor ids);
    public abstract Tensor All();

    /// <summary>Same as <see cref="Lookup"/>.</summary>
    public override Tensor forward(Tensor ids) => Lookup(ids);
}
