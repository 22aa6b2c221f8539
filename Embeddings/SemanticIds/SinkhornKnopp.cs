namespace Recsys.Embeddings.SemanticIds;

/// <summary>
/// Entropy-regularised optimal transport by Sinkhorn-Knopp matrix scaling (Cuturi 2013): the plan
/// P = diag(u) exp(−C/ε) diag(v) whose row sums are the row masses a and column sums the column masses b, the
/// ε-smoothed minimiser of ⟨P, C⟩. Iterated in the log domain (P_ij = exp((f_i + g_j − C_ij)/ε)), so a small ε
/// neither overflows nor underflows; the uniform semantic mapping of LC-Rec (Zheng et al. 2024) uses it to spread
/// items evenly over a codebook. Plain doubles, no threads: deterministic.
/// </summary>
public static class SinkhornKnopp
{
    /// <summary>
    /// The transport plan, row-major [rows, cols]. The masses must be positive and sum to the same total. Stops after
    /// <paramref name="iterations"/> row/column scalings or once every row sum is within <paramref name="tolerance"/>
    /// (relative to its mass) of its target; the column sums are exact after every scaling.
    /// </summary>
    /// <param name="cost">Row-major [rows, cols] costs, finite.</param>
    /// <param name="rows">Rows (sources).</param>
    /// <param name="cols">Columns (targets).</param>
    /// <param name="rowMass">Mass of each row, &gt; 0.</param>
    /// <param name="colMass">Mass of each column, &gt; 0; same total as <paramref name="rowMass"/>.</param>
    /// <param name="epsilon">Entropic regularisation ε &gt; 0, in the units of the cost (smaller: closer to the exact transport).</param>
    /// <param name="iterations">Most scalings, ≥ 1.</param>
    /// <param name="tolerance">Largest relative row-sum error accepted before <paramref name="iterations"/> run out.</param>
    public static double[] Plan(ReadOnlySpan<double> cost, int rows, int cols, ReadOnlySpan<double> rowMass, ReadOnlySpan<double> colMass,
                                double epsilon, int iterations, double tolerance = 1e-9)
    {
        Check(cost, rows, cols, rowMass, colMass, epsilon, iterations);
        var f = new double[rows];
        var g = new double[cols];
        var logA = new double[rows];
        var logB = new double[cols];
        for (int i = 0; i < rows; i++) logA[i] = Math.Log(rowMass[i]);
        for (int j = 0; j < cols; j++) logB[j] = Math.Log(colMass[j]);
        var buffer = new double[Math.Max(rows, cols)];
        for (int it = 0; it < iterations; it++)
        {
            for (int i = 0; i < rows; i++)
            {
                for (int j = 0; j < cols; j++) buffer[j] = (g[j] - cost[i * cols + j]) / epsilon;
                f[i] = epsilon * (logA[i] - LogSumExp(buffer.AsSpan(0, cols)));
            }
            for (int j = 0; j < cols; j++)
            {
                for (int i = 0; i < rows; i++) buffer[i] = (f[i] - cost[i * cols + j]) / epsilon;
                g[j] = epsilon * (logB[j] - LogSumExp(buffer.AsSpan(0, rows)));
            }
            // The check costs as much as a scaling; every tenth keeps it cheap.
            if ((it + 1) % 10 == 0 && RowError(cost, rows, cols, f, g, epsilon, rowMass, buffer) <= tolerance) break;
        }
        var plan = new double[rows * cols];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++)
                plan[i * cols + j] = Math.Exp((f[i] + g[j] - cost[i * cols + j]) / epsilon);
        return plan;
    }

    private static double RowError(ReadOnlySpan<double> cost, int rows, int cols, double[] f, double[] g, double epsilon, ReadOnlySpan<double> rowMass, double[] buffer)
    {
        double worst = 0;
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < cols; j++) buffer[j] = (f[i] + g[j] - cost[i * cols + j]) / epsilon;
            double sum = Math.Exp(LogSumExp(buffer.AsSpan(0, cols)));
            worst = Math.Max(worst, Math.Abs(sum - rowMass[i]) / rowMass[i]);
        }
        return worst;
    }

    private static double LogSumExp(ReadOnlySpan<double> x)
    {
        double max = double.NegativeInfinity;
        foreach (var v in x) max = Math.Max(max, v);
        if (double.IsNegativeInfinity(max)) return max;
        double s = 0;
        foreach (var v in x) s += Math.Exp(v - max);
        return max + Math.Log(s);
    }

    private static void Check(ReadOnlySpan<double> cost, int rows, int cols, ReadOnlySpan<double> rowMass, ReadOnlySpan<double> colMass, double epsilon, int iterations)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(cols, 1);
        if (cost.Length != (long)rows * cols) throw new ArgumentException($"{cost.Length} costs do not make a {rows} × {cols} matrix.", nameof(cost));
        if (rowMass.Length != rows) throw new ArgumentException($"{rowMass.Length} row masses for {rows} rows.", nameof(rowMass));
        if (colMass.Length != cols) throw new ArgumentException($"{colMass.Length} column masses for {cols} columns.", nameof(colMass));
        if (!(epsilon > 0) || !double.IsFinite(epsilon)) throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "ε must be a finite number > 0.");
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, 1);
        foreach (var c in cost) if (!double.IsFinite(c)) throw new ArgumentException("every cost must be finite.", nameof(cost));
        double ra = 0, cb = 0;
        foreach (var m in rowMass) { if (!(m > 0) || !double.IsFinite(m)) throw new ArgumentOutOfRangeException(nameof(rowMass), m, "every row mass must be a finite number > 0."); ra += m; }
        foreach (var m in colMass) { if (!(m > 0) || !double.IsFinite(m)) throw new ArgumentOutOfRangeException(nameof(colMass), m, "every column mass must be a finite number > 0."); cb += m; }
        if (Math.Abs(ra - cb) > 1e-9 * Math.Max(ra, cb)) throw new ArgumentException($"the row masses sum to {ra} and the column masses to {cb}; a transport plan needs equal totals.", nameof(colMass));
    }
}
