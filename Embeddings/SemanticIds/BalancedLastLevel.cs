namespace Recsys.Embeddings.SemanticIds;

/// <summary>
/// The uniform semantic mapping of LC-Rec (Zheng et al. 2024) for the last quantisation level: items that share all
/// L codes are spread over the last codebook by a balanced optimal transport instead of each taking its nearest
/// codeword. Within each prefix (c1 … c_{L−1}) whose items collide, the last level becomes the transport of the m
/// items (mass 1 each) onto the K codewords with uniform capacity c = ⌈m / K⌉ each (a slack row takes the K·c − m
/// unused capacity), cost = squared distance between the item's last residual and the codeword, solved by
/// <see cref="SinkhornKnopp"/> and rounded greedily (the most confident item first takes its largest-mass code with
/// capacity left). For small ε this is the least-distortion assignment with at most c items per last code, so a
/// prefix of at most K items ends without collisions, and items leave their nearest codeword only in prefixes with
/// a collision, by the moves that add the least total squared distance. Prefixes without a collision are left as
/// they are: nearest assignment is then already the optimum.
/// </summary>
/// <remarks>
/// LC-Rec re-solves only each group of identical tuples with uniform marginals over all K codes (up to 20 rounds,
/// since a moved item can land on a third item's tuple); transporting the whole prefix with unit capacities reaches a
/// collision-free prefix in one solve, at the least added distortion.
/// </remarks>
public static class BalancedLastLevel
{
    /// <summary>
    /// Rewrites the last column of <paramref name="codes"/> (row-major [n, levels]) for the prefixes with collisions;
    /// returns how many items changed their last code.
    /// </summary>
    /// <param name="codes">Row-major [n, levels] codes, the last level from nearest assignment; rewritten in place.</param>
    /// <param name="levels">Levels L ≥ 1 (L = 1: all items form one prefix).</param>
    /// <param name="residual">Row-major [n, dim] residuals entering the last level.</param>
    /// <param name="codebook">Row-major [K, dim] last-level codewords.</param>
    /// <param name="dim">Latent width.</param>
    /// <param name="epsilon">Sinkhorn ε relative to the prefix's range of costs (costs are scaled to [0, 1]).</param>
    /// <param name="iterations">Most Sinkhorn scalings per prefix.</param>
    public static int Assign(int[] codes, int levels, ReadOnlySpan<float> residual, ReadOnlySpan<float> codebook, int dim, double epsilon, int iterations)
    {
        ArgumentNullException.ThrowIfNull(codes);
        ArgumentOutOfRangeException.ThrowIfLessThan(levels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(dim, 1);
        if (codes.Length % levels != 0) throw new ArgumentException($"{codes.Length} codes do not make rows of {levels} levels.", nameof(codes));
        int n = codes.Length / levels;
        if (residual.Length != (long)n * dim) throw new ArgumentException($"{residual.Length} residual values do not make {n} items × {dim}.", nameof(residual));
        if (codebook.Length == 0 || codebook.Length % dim != 0) throw new ArgumentException($"{codebook.Length} codebook values do not make codewords of {dim}.", nameof(codebook));
        int k = codebook.Length / dim;
        for (int i = 0; i < n; i++)
            if ((uint)codes[i * levels + levels - 1] >= (uint)k) throw new ArgumentOutOfRangeException(nameof(codes), $"item {i}'s last code {codes[i * levels + levels - 1]} is outside the codebook of {k}.");

        int moved = 0;
        foreach (var group in PrefixGroups(codes, n, levels))
            if (HasCollision(codes, group, levels, k)) moved += Transport(codes, group, levels, residual, codebook, dim, k, epsilon, iterations);
        return moved;
    }

    /// <summary>Items grouped by their first L − 1 codes, groups and members in a fixed order.</summary>
    private static IEnumerable<int[]> PrefixGroups(int[] codes, int n, int levels)
    {
        var order = Enumerable.Range(0, n).ToArray();
        int p = levels - 1;
        int Compare(int a, int b)
        {
            for (int l = 0; l < p; l++)
            {
                int c = codes[a * levels + l].CompareTo(codes[b * levels + l]);
                if (c != 0) return c;
            }
            return a.CompareTo(b);
        }
        Array.Sort(order, Compare);
        int start = 0;
        for (int i = 1; i <= n; i++)
        {
            if (i < n && SamePrefix(codes, order[start], order[i], levels)) continue;
            yield return order[start..i];
            start = i;
        }
    }

    private static bool SamePrefix(int[] codes, int a, int b, int levels)
    {
        for (int l = 0; l + 1 < levels; l++) if (codes[a * levels + l] != codes[b * levels + l]) return false;
        return true;
    }

    private static bool HasCollision(int[] codes, int[] group, int levels, int k)
    {
        if (group.Length < 2) return false;
        var seen = new bool[k];
        foreach (var i in group)
        {
            int c = codes[i * levels + levels - 1];
            if (seen[c]) return true;
            seen[c] = true;
        }
        return false;
    }

    private static int Transport(int[] codes, int[] group, int levels, ReadOnlySpan<float> residual, ReadOnlySpan<float> codebook, int dim, int k, double epsilon, int iterations)
    {
        int m = group.Length, capacity = (m + k - 1) / k, slack = k * capacity - m;
        int rows = m + (slack > 0 ? 1 : 0);
        var cost = new double[rows * k];
        for (int a = 0; a < m; a++)
        {
            var r = residual.Slice(group[a] * dim, dim);
            for (int j = 0; j < k; j++)
            {
                var e = codebook.Slice(j * dim, dim);
                double s = 0;
                for (int d = 0; d < dim; d++) { double diff = r[d] - e[d]; s += diff * diff; }
                cost[a * k + j] = s;
            }
        }
        // Scale the items' costs to [0, 1] so that ε means the same for every prefix; the slack row stays at 0 (a
        // constant row cost does not change the plan).
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        for (int t = 0; t < m * k; t++) { min = Math.Min(min, cost[t]); max = Math.Max(max, cost[t]); }
        double range = max > min ? max - min : 1;
        for (int t = 0; t < m * k; t++) cost[t] = (cost[t] - min) / range;

        var rowMass = new double[rows];
        Array.Fill(rowMass, 1.0, 0, m);
        if (slack > 0) rowMass[m] = slack;
        var colMass = new double[k];
        Array.Fill(colMass, (double)capacity);
        var plan = SinkhornKnopp.Plan(cost, rows, k, rowMass, colMass, epsilon, iterations, tolerance: 1e-6);

        var left = new int[k];
        Array.Fill(left, capacity);
        var best = new double[m];
        for (int a = 0; a < m; a++) for (int j = 0; j < k; j++) best[a] = Math.Max(best[a], plan[a * k + j]);
        var byConfidence = Enumerable.Range(0, m).OrderByDescending(a => best[a]).ThenBy(a => a).ToArray();
        int moved = 0;
        foreach (var a in byConfidence)
        {
            int pick = -1;
            for (int j = 0; j < k; j++)
            {
                if (left[j] == 0) continue;
                if (pick < 0 || plan[a * k + j] > plan[a * k + pick] || (plan[a * k + j] == plan[a * k + pick] && cost[a * k + j] < cost[a * k + pick])) pick = j;
            }
            left[pick]--;
            ref int last = ref codes[group[a] * levels + levels - 1];
            if (last != pick) { last = pick; moved++; }
        }
        return moved;
    }
}
