using Recsys.Data;

namespace Recsys.Graphs;

/// <summary>
/// The undirected user-item graph of a (training) <see cref="InteractionMatrix"/>: vertices 0..U-1 are users,
/// U..U+I-1 are items, and user u — item i is an edge when u interacted with i (adjacency A = [[0, R], [Rᵀ, 0]], as in
/// NGCF / LightGCN / GraphHash). CSR storage; a user's neighbours are its items (offset by U, ascending), an item's
/// neighbours are its users (ascending). QuikGraph algorithms run on it directly (see <see cref="UndirectedCsrGraph"/>).
/// </summary>
public sealed class BipartiteGraph : UndirectedCsrGraph
{
    private BipartiteGraph(int numUsers, int numItems, int[] rowPtr, int[] colIdx)
        : base(numUsers + numItems, rowPtr, colIdx)
    {
        NumUsers = numUsers; NumItems = numItems;
    }

    public int NumUsers { get; }
    public int NumItems { get; }

    /// <summary>Vertex id of item <paramref name="item"/> (= U + item).</summary>
    public int ItemVertex(int item) => NumUsers + item;
    /// <summary>Vertex id of user <paramref name="user"/> (= user).</summary>
    public static int UserVertex(int user) => user;
    public bool IsUser(int vertex) => vertex < NumUsers;
    /// <summary>Item id of an item vertex (= vertex − U).</summary>
    public int ItemOf(int vertex) => vertex - NumUsers;

    /// <summary>Builds the graph of <paramref name="r"/>; O(U + I + nnz), two int arrays of nnz each.</summary>
    public static BipartiteGraph Build(InteractionMatrix r)
    {
        ArgumentNullException.ThrowIfNull(r);
        int u = r.NumUsers, n = r.NumUsers + r.NumItems;
        var (cscPtr, cscRows) = r.Csc;
        long nnz2 = 2L * r.NonZeros;
        if (nnz2 > Array.MaxLength) throw new ArgumentException($"{r.NonZeros} interactions are too many for one CSR graph.");
        var ptr = new int[n + 1];
        var idx = new int[nnz2];
        // Users first: their rows are R's rows shifted into item vertex ids.
        for (int x = 0; x < u; x++) ptr[x + 1] = r.RowPtr[x + 1];
        for (int k = 0; k < r.NonZeros; k++) idx[k] = r.ColIdx[k] + u;
        // Items next: their rows are the CSC columns (user ids, already sorted).
        int off = r.NonZeros;
        for (int i = 0; i < r.NumItems; i++) ptr[u + i + 1] = off + cscPtr[i + 1];
        Array.Copy(cscRows, 0, idx, off, cscRows.Length);
        return new BipartiteGraph(r.NumUsers, r.NumItems, ptr, idx);
    }

    /// <summary>Builds the graph of the training interactions of <paramref name="d"/>.</summary>
    public static BipartiteGraph Build(Dataset d) => Build(d.TrainMatrix());
}
