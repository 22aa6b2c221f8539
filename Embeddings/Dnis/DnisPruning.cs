namespace Recsys.Embeddings.Dnis;

/// <summary>
/// DNIS's pruning: which columns each frequency block keeps, from the α-scaled magnitudes s[b, j] of a search
/// (<see cref="DnisTable.Scores"/>). A column of block b costs its n_b ids one scalar each.
/// <list type="bullet">
/// <item>To a budget of P scalars: every block first keeps its <c>minWidth</c> best columns, then (block, column) pairs
/// are taken in decreasing score (ties: lower block, lower column), each one that still fits — so the kept count is at
/// most P and short of it by less than one column of any block with a column left out.</item>
/// <item>To a threshold τ: the pairs with s ≥ τ, plus each block's <c>minWidth</c> best columns.</item>
/// </list>
/// </summary>
public static class DnisPruning
{
    /// <summary>Kept columns per block (sorted) within <paramref name="budget"/> scalars.</summary>
    /// <param name="scores">s[b, j], row-major [S, dim].</param>
    /// <param name="blockSizes">Ids n_b in each block.</param>
    /// <param name="dim">Columns per block before pruning.</param>
    /// <param name="budget">Scalars to keep at most.</param>
    /// <param name="minWidth">Columns every block keeps.</param>
    public static int[][] ToBudget(ReadOnlySpan<float> scores, IReadOnlyList<int> blockSizes, int dim, long budget, int minWidth = 1)
    {
        int s = blockSizes.Count;
        CheckShape(scores, s, dim);
        var keep = MinimumColumns(scores, s, dim, minWidth);
        long used = Enumerable.Range(0, s).Sum(b => (long)blockSizes[b] * keep[b].Count);
        if (used > budget)
            throw new ArgumentOutOfRangeException(nameof(DnisTableSpec.Budget), budget,
                $"the budget of {budget} scalars is below the {used} that {minWidth} column(s) per block cost; raise the budget or lower the minimum width.");
        foreach (var (b, j) in Ranked(scores, s, dim))
        {
            if (keep[b].Contains(j)) continue;
            if (used + blockSizes[b] > budget) continue;
            keep[b].Add(j);
            used += blockSizes[b];
        }
        return keep.Select(k => k.Order().ToArray()).ToArray();
    }

    /// <summary>Kept columns per block (sorted): score ≥ <paramref name="threshold"/>, plus each block's best <paramref name="minWidth"/>.</summary>
    /// <param name="scores">s[b, j], row-major [S, dim].</param>
    /// <param name="blocks">S.</param>
    /// <param name="dim">Columns per block before pruning.</param>
    /// <param name="threshold">τ.</param>
    /// <param name="minWidth">Columns every block keeps.</param>
    public static int[][] ToThreshold(ReadOnlySpan<float> scores, int blocks, int dim, double threshold, int minWidth = 1)
    {
        CheckShape(scores, blocks, dim);
        var keep = MinimumColumns(scores, blocks, dim, minWidth);
        for (int b = 0; b < blocks; b++)
            for (int j = 0; j < dim; j++)
                if (scores[b * dim + j] >= threshold) keep[b].Add(j);
        return keep.Select(k => k.Order().ToArray()).ToArray();
    }

    /// <summary>Scalars a pruned table keeps: Σ_b n_b · |kept_b|.</summary>
    public static long Parameters(IReadOnlyList<IReadOnlyList<int>> kept, IReadOnlyList<int> blockSizes) =>
        Enumerable.Range(0, kept.Count).Sum(b => (long)blockSizes[b] * kept[b].Count);

    private static List<HashSet<int>> MinimumColumns(ReadOnlySpan<float> scores, int s, int dim, int minWidth)
    {
        var keep = new List<HashSet<int>>();
        for (int b = 0; b < s; b++)
        {
            var row = scores.Slice(b * dim, dim).ToArray();
            keep.Add(Enumerable.Range(0, dim).OrderByDescending(j => row[j]).ThenBy(j => j).Take(Math.Min(minWidth, dim)).ToHashSet());
        }
        return keep;
    }

    private static List<(int Block, int Column)> Ranked(ReadOnlySpan<float> scores, int s, int dim)
    {
        var pairs = new List<(int, int, float)>(s * dim);
        for (int b = 0; b < s; b++)
            for (int j = 0; j < dim; j++) pairs.Add((b, j, scores[b * dim + j]));
        return pairs.OrderByDescending(p => p.Item3).ThenBy(p => p.Item1).ThenBy(p => p.Item2).Select(p => (p.Item1, p.Item2)).ToList();
    }

    private static void CheckShape(ReadOnlySpan<float> scores, int s, int dim)
    {
        if (scores.Length != s * dim) throw new ArgumentOutOfRangeException(nameof(scores), scores.Length, $"expected {s} × {dim} scores.");
        foreach (var v in scores)
            if (!float.IsFinite(v)) throw new ArgumentOutOfRangeException(nameof(scores), v, "scores must be finite.");
    }
}
