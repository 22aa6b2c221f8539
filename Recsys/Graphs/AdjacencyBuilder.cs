using System.Runtime.CompilerServices;
using Recsys.Data;

namespace Recsys.Graphs;

/// <summary>
/// Normalised adjacency matrices of the user-item bipartite graph with nodes 0..U-1 = users and
/// U..U+I-1 = items (A = [[0, R], [Rᵀ, 0]]). Isolated nodes get all-zero rows.
/// </summary>
public static class AdjacencyBuilder
{
    /// <summary>D^-1/2 A D^-1/2 (LightGCN / NGCF Laplacian), symmetric, (U+I) × (U+I).</summary>
    public static CsrMatrix SymmetricNormalized(InteractionMatrix r) => Build(r, symmetric: true);

    /// <summary>D^-1 A (row-stochastic transition matrix), (U+I) × (U+I).</summary>
    public static CsrMatrix Transition(InteractionMatrix r) => Build(r, symmetric: false);

    /// <summary>
    /// D^-1 (A + I) with D the degrees counting the self-loop: each node's row averages itself and its neighbours.
    /// The "norm" adjacency of the NGCF authors' code (its paper writes D^-1/2 A D^-1/2). Symmetric pattern, not
    /// symmetric values; isolated nodes keep their own embedding.
    /// </summary>
    public static CsrMatrix TransitionWithSelfLoops(InteractionMatrix r)
    {
        int u = r.NumUsers, n = r.NumUsers + r.NumItems;
        var (cscPtr, cscRows) = r.Csc;
        var ptr = new int[n + 1];
        for (int x = 0; x < u; x++) ptr[x + 1] = ptr[x] + r.UserDegree(x) + 1;
        for (int i = 0; i < r.NumItems; i++) ptr[u + i + 1] = ptr[u + i] + (cscPtr[i + 1] - cscPtr[i]) + 1;
        var idx = new int[ptr[n]];
        var val = new float[ptr[n]];
        // Columns stay ascending per row: a user's own column precedes its items, an item's follows its users.
        for (int x = 0; x < u; x++)
        {
            int o = ptr[x];
            float w = 1f / (ptr[x + 1] - ptr[x]);
            idx[o] = x; val[o++] = w;
            foreach (var item in r.ItemsOf(x)) { idx[o] = u + item; val[o++] = w; }
        }
        for (int i = 0; i < r.NumItems; i++)
        {
            int row = u + i, o = ptr[row];
            float w = 1f / (ptr[row + 1] - ptr[row]);
            for (int k = cscPtr[i]; k < cscPtr[i + 1]; k++) { idx[o] = cscRows[k]; val[o++] = w; }
            idx[o] = row; val[o] = w;
        }
        return new CsrMatrix(n, n, ptr, idx, val);
    }

    /// <summary>
    /// D^-1/2 A D^-1/2 of any square, symmetric weighted adjacency <paramref name="a"/>, with D = diag(row sums).
    /// Zero-degree rows stay zero. Same sparsity pattern as <paramref name="a"/> (index arrays shared).
    /// </summary>
    public static CsrMatrix SymmetricNormalized(CsrMatrix a) => Scale(a, symmetric: true);

    /// <summary>D^-1 A of any square weighted adjacency <paramref name="a"/> (row-stochastic; FastRP's transition matrix).</summary>
    public static CsrMatrix Transition(CsrMatrix a) => Scale(a, symmetric: false);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // two passes over every non-zero: don't start in tier-0
    private static CsrMatrix Scale(CsrMatrix a, bool symmetric)
    {
        if (a.Rows != a.Cols) throw new ArgumentException($"adjacency must be square, got {a.Rows} × {a.Cols}.");
        var scale = new float[a.Rows];
        for (int r = 0; r < a.Rows; r++)
        {
            double deg = 0;
            for (int k = a.RowPtr[r]; k < a.RowPtr[r + 1]; k++) deg += a.Values[k];
            scale[r] = deg <= 0 ? 0f : symmetric ? (float)(1 / Math.Sqrt(deg)) : (float)(1 / deg);
        }
        var val = new float[a.NonZeros];
        for (int r = 0; r < a.Rows; r++)
            for (int k = a.RowPtr[r]; k < a.RowPtr[r + 1]; k++)
                val[k] = a.Values[k] * scale[r] * (symmetric ? scale[a.ColIdx[k]] : 1f);
        return new CsrMatrix(a.Rows, a.Cols, a.RowPtr, a.ColIdx, val);
    }

    private static CsrMatrix Build(InteractionMatrix r, bool symmetric)
    {
        int u = r.NumUsers, n = r.NumUsers + r.NumItems;
        var (cscPtr, cscRows) = r.Csc;
        var deg = new float[n];
        for (int x = 0; x < u; x++) deg[x] = r.UserDegree(x);
        for (int i = 0; i < r.NumItems; i++) deg[u + i] = cscPtr[i + 1] - cscPtr[i];
        var scale = new float[n];
        for (int x = 0; x < n; x++)
            scale[x] = deg[x] == 0 ? 0f : symmetric ? 1f / MathF.Sqrt(deg[x]) : 1f / deg[x];

        var ptr = new int[n + 1];
        for (int x = 0; x < u; x++) ptr[x + 1] = ptr[x] + r.UserDegree(x);
        for (int i = 0; i < r.NumItems; i++) ptr[u + i + 1] = ptr[u + i] + (cscPtr[i + 1] - cscPtr[i]);
        var idx = new int[ptr[n]];
        var val = new float[ptr[n]];
        for (int x = 0; x < u; x++)
        {
            int o = ptr[x];
            foreach (var item in r.ItemsOf(x))
            {
                int col = u + item;
                idx[o] = col;
                val[o++] = symmetric ? scale[x] * scale[col] : scale[x];
            }
        }
        for (int i = 0; i < r.NumItems; i++)
        {
            int row = u + i, o = ptr[row];
            for (int k = cscPtr[i]; k < cscPtr[i + 1]; k++)
            {
                int col = cscRows[k];
                idx[o] = col;
                val[o++] = symmetric ? scale[row] * scale[col] : scale[row];
            }
        }
        return new CsrMatrix(n, n, ptr, idx, val);
    }
}
