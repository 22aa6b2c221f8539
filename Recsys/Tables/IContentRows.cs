using static TorchSharp.torch;

namespace Recsys.Tables;

/// <summary>
/// A table whose rows are built, at least in part, from what an id's content says (semantic-ID codes) rather than from
/// rows that memorise the id. <see cref="ContentLookup"/> is the part an id without training data also has — what a new
/// item is scored by — so a model can train its content rows to stand alone (DropoutNet-style).
/// </summary>
public interface IContentRows
{
    /// <summary>Content-only rows for <paramref name="ids"/> (int64 [n]) → float32 [n, Dim], differentiable like <see cref="IEmbeddingTable.Lookup"/>.</summary>
    Tensor ContentLookup(Tensor ids);
}
