namespace Recsys.Eval.Significance;

/// <summary>One metric of two results compared on the same users.</summary>
/// <param name="Metric">Metric key, e.g. "ndcg@20".</param>
/// <param name="MeanA">Mean of A over the common users.</param>
/// <param name="MeanB">Mean of B over the common users.</param>
/// <param name="Difference">MeanB − MeanA.</param>
/// <param name="TTest">Paired t-test of B against A.</param>
/// <param name="Wilcoxon">Wilcoxon signed-rank test of B against A.</param>
public sealed record MetricComparison(string Metric, double MeanA, double MeanB, double Difference, TTestResult TTest, WilcoxonResult Wilcoxon);

/// <summary>Two evaluation results compared metric by metric on the users both evaluated.</summary>
/// <param name="Users">Number of common users the tests paired.</param>
/// <param name="OnlyA">Users evaluated in A only (ignored).</param>
/// <param name="OnlyB">Users evaluated in B only (ignored).</param>
/// <param name="Metrics">One comparison per metric both results share, in A's key order.</param>
public sealed record ResultComparison(int Users, int OnlyA, int OnlyB, IReadOnlyList<MetricComparison> Metrics)
{
    /// <summary>
    /// Pairs the per-user values of <paramref name="a"/> and <paramref name="b"/> by user id and runs the paired
    /// t-test and Wilcoxon test for each metric in <paramref name="metrics"/> (default: every key both results have).
    /// </summary>
    public static ResultComparison Compare(EvaluationResult a, EvaluationResult b, IReadOnlyList<string>? metrics = null)
    {
        if (a.Data is { } da && b.Data is { } db && da.DifferenceFrom(db) is { } difference)
            throw new ArgumentException($"the two results were computed on different data ({difference}); compare results of the same dataset and split.");
        var keys = metrics ?? a.Keys.Where(b.Has).ToArray();
        if (keys.Count == 0)
            throw new ArgumentException($"the two results share no metric (A has {string.Join(", ", a.Keys)}; B has {string.Join(", ", b.Keys)}).");
        foreach (var k in keys)
        {
            if (!a.Has(k)) throw new ArgumentException($"metric '{k}' is not in result A (has: {string.Join(", ", a.Keys)}).");
            if (!b.Has(k)) throw new ArgumentException($"metric '{k}' is not in result B (has: {string.Join(", ", b.Keys)}).");
        }
        var indexB = new Dictionary<int, int>(b.NumUsers);
        for (int i = 0; i < b.NumUsers; i++) indexB[b.Users[i]] = i;
        var rowsA = new List<int>();
        var rowsB = new List<int>();
        for (int i = 0; i < a.NumUsers; i++)
            if (indexB.TryGetValue(a.Users[i], out int j)) { rowsA.Add(i); rowsB.Add(j); }
        if (rowsA.Count == 0) throw new ArgumentException("the two results have no evaluated user in common.");

        var rows = new List<MetricComparison>();
        foreach (var k in keys)
        {
            var va = Gather(a.PerUser(k), rowsA);
            var vb = Gather(b.PerUser(k), rowsB);
            double ma = va.Average(), mb = vb.Average();
            rows.Add(new MetricComparison(k, ma, mb, mb - ma, PairedTTest.Test(vb, va), WilcoxonSignedRank.Test(vb, va)));
        }
        return new ResultComparison(rowsA.Count, a.NumUsers - rowsA.Count, b.NumUsers - rowsB.Count, rows);
    }

    private static double[] Gather(double[] v, List<int> rows)
    {
        var r = new double[rows.Count];
        for (int i = 0; i < r.Length; i++) r[i] = v[rows[i]];
        return r;
    }
}
