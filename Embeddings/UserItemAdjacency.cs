using Recsys.Data;
using Recsys.Graphs;

namespace Recsys.Embeddings;

/// <summary>The unnormalised adjacency A = [[0, R], [Rᵀ, 0]] of the user-item graph (users 0..U-1, items U..U+I-1), all non-zeros 1.</summary>
public static class UserItemAdjacency
{
    /// <summary>A with the sparsity of <see cref="AdjacencyBuilder.Transition(InteractionMatrix)"/> and every value 1; (U+I) × (U+I), symmetric.</summary>
    public static CsrMatrix Binary(InteractionMatrix r)
    {
        var t = AdjacencyBuilder.Transition(r);
        var ones = new float[t.NonZeros];
        Array.Fill(ones, 1f);
        return new CsrMatrix(t.Rows, t.Cols, t.RowPtr, t.ColIdx, ones);
    }
}
