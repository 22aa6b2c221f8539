using Recsys.Data;

namespace Recsys.Embeddings.SemanticIds.Schemes;

/// <summary>
/// Spectral embedding of a set of items in their co-occurrence graph, computed without materialising the graph:
/// with B = D_u^{-1/2} R_S D_S^{-1/2} (users × the items S, R binary, degrees counted inside S), the co-occurrence
/// matrix normalised as D_S^{-1/2} R_Sᵀ D_u^{-1} R_S D_S^{-1/2} equals BᵀB, whose leading eigenvectors are B's leading
/// right singular vectors. Subspace iteration (V ← orth(Bᵀ B V)) from a seeded Gaussian start finds them; rows are then
/// L2-normalised as in Ng, Jordan &amp; Weiss's spectral clustering. Items with no user inside S get zero rows.
/// </summary>
public static class CoOccurrenceSpectrum
{
    /// <summary>Row-major [items.Length, dim] embedding of <paramref name="items"/> (dim = min(<paramref name="dim"/>, items.Length)).</summary>
    public static float[] Embed(InteractionMatrix train, int[] items, int dim, int iterations, int seed, out int width)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(items);
        int s = items.Length, m = Math.Min(dim, s);
        width = m;
        var local = new Dictionary<int, int>(s);
        for (int j = 0; j < s; j++) local[items[j]] = j;
        // Users × local items, built from each item's users (CSC), then grouped by user.
        var (colPtr, rowIdx) = train.Csc;
        var pairs = new List<(int User, int Item)>();
        for (int j = 0; j < s; j++)
            for (int k = colPtr[items[j]]; k < colPtr[items[j] + 1]; k++) pairs.Add((rowIdx[k], j));
        var userDeg = new Dictionary<int, int>();
        var itemDeg = new int[s];
        foreach (var (u, j) in pairs) { userDeg[u] = userDeg.GetValueOrDefault(u) + 1; itemDeg[j]++; }
        var weight = pairs.Select(p => 1 / Math.Sqrt((double)userDeg[p.User] * itemDeg[p.Item])).ToArray();
        var userOf = new Dictionary<int, int>(userDeg.Count);
        foreach (var (u, _) in pairs) userOf.TryAdd(u, userOf.Count);
        int users = userOf.Count;

        var rng = new Random(seed);
        var v = new double[s * m];
        for (int i = 0; i < v.Length; i++) v[i] = Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
        Orthonormalise(v, s, m);
        var bv = new double[users * m];
        for (int it = 0; it < iterations; it++)
        {
            Array.Clear(bv);
            for (int p = 0; p < pairs.Count; p++)
            {
                int u = userOf[pairs[p].User], j = pairs[p].Item;
                double w = weight[p];
                for (int c = 0; c < m; c++) bv[u * m + c] += w * v[j * m + c];
            }
            Array.Clear(v);
            for (int p = 0; p < pairs.Count; p++)
            {
                int u = userOf[pairs[p].User], j = pairs[p].Item;
                double w = weight[p];
                for (int c = 0; c < m; c++) v[j * m + c] += w * bv[u * m + c];
            }
            Orthonormalise(v, s, m);
        }
        var result = new float[s * m];
        for (int j = 0; j < s; j++)
        {
            double norm = 0;
            for (int c = 0; c < m; c++) norm += v[j * m + c] * v[j * m + c];
            if (itemDeg[j] == 0 || norm == 0) continue;
            double inv = 1 / Math.Sqrt(norm);
            for (int c = 0; c < m; c++) result[j * m + c] = (float)(v[j * m + c] * inv);
        }
        return result;
    }

    /// <summary>Modified Gram–Schmidt on the m columns of the row-major [n, m] matrix; a column that vanishes stays zero.</summary>
    private static void Orthonormalise(double[] v, int n, int m)
    {
        for (int c = 0; c < m; c++)
        {
            for (int q = 0; q < c; q++)
            {
                double dot = 0;
                for (int r = 0; r < n; r++) dot += v[r * m + c] * v[r * m + q];
                for (int r = 0; r < n; r++) v[r * m + c] -= dot * v[r * m + q];
            }
            double norm = 0;
            for (int r = 0; r < n; r++) norm += v[r * m + c] * v[r * m + c];
            norm = Math.Sqrt(norm);
            for (int r = 0; r < n; r++) v[r * m + c] = norm > 1e-12 ? v[r * m + c] / norm : 0;
        }
    }
}
