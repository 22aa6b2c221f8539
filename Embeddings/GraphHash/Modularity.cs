using Recsys.Graphs;

namespace Recsys.Embeddings.GraphHash;

/// <summary>
/// Modularity of a partition of a symmetric weighted graph, in the general form
/// Q = Σ_c [ in_c / W − γ · Out_c · In_c ], where W = Σᵢⱼ Aᵢⱼ, in_c = Σ_{i,j∈c} Aᵢⱼ (ordered pairs, self-loops once) and
/// Out_c, In_c sum per-node null-model weights a and b (each summing to 1).
/// Standard (Newman–Girvan) modularity has a = b = k / W; Barber's bipartite modularity has a = k/m on the row side
/// (users) and 0 on the column side, b the other way round, with m = W/2 the number of (weighted) edges — it only
/// rewards user–item edges inside a cluster against the user-degree × item-degree null model.
/// </summary>
public static class Modularity
{
    /// <summary>Standard modularity with resolution γ.</summary>
    public static double Standard(CsrMatrix adjacency, ReadOnlySpan<int> labels, double resolution = 1.0)
    {
        var (a, b, _) = NullModel(adjacency, bipartiteRows: null);
        return Compute(adjacency, labels, a, b, resolution);
    }

    /// <summary>Barber's bipartite modularity; nodes 0..rows-1 are one side (users), the rest the other (items).</summary>
    public static double Bipartite(CsrMatrix adjacency, int rows, ReadOnlySpan<int> labels, double resolution = 1.0)
    {
        var (a, b, _) = NullModel(adjacency, rows);
        return Compute(adjacency, labels, a, b, resolution);
    }

    /// <summary>Null-model weights a (out) and b (in) per node, and W = Σᵢⱼ Aᵢⱼ.</summary>
    internal static (double[] A, double[] B, double Total) NullModel(CsrMatrix adj, int? bipartiteRows)
    {
        int n = adj.Rows;
        var deg = new double[n];
        double total = 0;
        for (int i = 0; i < n; i++)
        {
            double s = 0;
            for (int k = adj.RowPtr[i]; k < adj.RowPtr[i + 1]; k++) s += adj.Values[k];
            deg[i] = s; total += s;
        }
        var a = new double[n];
        var b = new double[n];
        if (total <= 0) return (a, b, 0);
        if (bipartiteRows is not { } rows)
        {
            for (int i = 0; i < n; i++) a[i] = b[i] = deg[i] / total;
            return (a, b, total);
        }
        if (rows < 0 || rows > n) throw new ArgumentOutOfRangeException(nameof(bipartiteRows), rows, $"must be within 0..{n}.");
        double rowSum = 0, colSum = 0;
        for (int i = 0; i < rows; i++) rowSum += deg[i];
        for (int i = rows; i < n; i++) colSum += deg[i];
        for (int i = 0; i < rows; i++) a[i] = rowSum > 0 ? deg[i] / rowSum : 0;
        for (int i = rows; i < n; i++) b[i] = colSum > 0 ? deg[i] / colSum : 0;
        return (a, b, total);
    }

    internal static double Compute(CsrMatrix adj, ReadOnlySpan<int> labels, double[] a, double[] b, double resolution)
    {
        int n = adj.Rows;
        if (labels.Length != n) throw new ArgumentException($"labels has {labels.Length} entries, the graph {n} nodes.");
        int c = 0;
        foreach (var l in labels)
        {
            if (l < 0) throw new ArgumentOutOfRangeException(nameof(labels), l, "labels must be non-negative.");
            c = Math.Max(c, l + 1);
        }
        var inside = new double[c];
        var outW = new double[c];
        var inW = new double[c];
        double total = 0;
        for (int i = 0; i < n; i++)
        {
            int li = labels[i];
            outW[li] += a[i]; inW[li] += b[i];
            for (int k = adj.RowPtr[i]; k < adj.RowPtr[i + 1]; k++)
            {
                total += adj.Values[k];
                if (labels[adj.ColIdx[k]] == li) inside[li] += adj.Values[k];
            }
        }
        if (total <= 0) return 0;
        double q = 0;
        for (int x = 0; x < c; x++) q += inside[x] / total - resolution * outW[x] * inW[x];
        return q;
    }
}
