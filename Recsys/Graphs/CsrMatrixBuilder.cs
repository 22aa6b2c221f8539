namespace Recsys.Graphs;

/// <summary>What to do when the same (row, col) pair occurs more than once in an edge list.</summary>
public enum DuplicateEdges
{
    /// <summary>Add the weights (a multigraph becomes a weighted graph).</summary>
    Sum,
    /// <summary>Keep the largest weight.</summary>
    Max,
    /// <summary>Keep one entry of weight 1 (binary adjacency; input weights are ignored).</summary>
    Binary,
}

/// <summary>
/// Builds <see cref="CsrMatrix"/> from coordinate (COO) edge lists, the form FastRP, Louvain and importers produce
/// graphs in. Output rows have sorted, unique column ids.
/// </summary>
public static class CsrMatrixBuilder
{
    /// <summary>
    /// COO → CSR. Entry k is (<paramref name="rows"/>[k], <paramref name="cols"/>[k]) with weight
    /// <paramref name="weights"/>[k] (1 when <paramref name="weights"/> is empty). With <paramref name="symmetric"/>
    /// each edge (r, c), r ≠ c, also adds (c, r) with the same weight, so an undirected edge list given once per edge
    /// gives the symmetric adjacency; a self-loop (r, r) is stored once. Duplicates, including an edge given in both
    /// directions under <paramref name="symmetric"/>, are merged by <paramref name="duplicates"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">An id is outside the matrix, or the lengths disagree.</exception>
    public static CsrMatrix FromEdges(int numRows, int numCols, ReadOnlySpan<int> rows, ReadOnlySpan<int> cols,
        ReadOnlySpan<float> weights = default, bool symmetric = false, DuplicateEdges duplicates = DuplicateEdges.Sum)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(numRows);
        ArgumentOutOfRangeException.ThrowIfNegative(numCols);
        if (rows.Length != cols.Length)
            throw new ArgumentOutOfRangeException(nameof(cols), $"rows has {rows.Length} entries but cols has {cols.Length}.");
        if (!weights.IsEmpty && weights.Length != rows.Length)
            throw new ArgumentOutOfRangeException(nameof(weights), $"weights has {weights.Length} entries, expected {rows.Length} or none.");
        if (symmetric && numRows != numCols)
            throw new ArgumentOutOfRangeException(nameof(symmetric), $"a symmetric matrix must be square, got {numRows} × {numCols}.");

        // Count entries per row (both directions when symmetric).
        var ptr = new int[numRows + 1];
        for (int k = 0; k < rows.Length; k++)
        {
            int r = rows[k], c = cols[k];
            if ((uint)r >= (uint)numRows) throw new ArgumentOutOfRangeException(nameof(rows), $"row {r} at entry {k} is outside 0..{numRows - 1}.");
            if ((uint)c >= (uint)numCols) throw new ArgumentOutOfRangeException(nameof(cols), $"col {c} at entry {k} is outside 0..{numCols - 1}.");
            ptr[r + 1]++;
            if (symmetric && r != c) ptr[c + 1]++;
        }
        for (int r = 0; r < numRows; r++) ptr[r + 1] += ptr[r];

        var idx = new int[ptr[numRows]];
        var val = new float[ptr[numRows]];
        var fill = ptr[..^1].ToArray();
        bool binary = duplicates == DuplicateEdges.Binary;
        for (int k = 0; k < rows.Length; k++)
        {
            int r = rows[k], c = cols[k];
            float w = binary || weights.IsEmpty ? 1f : weights[k];
            int o = fill[r]++;
            idx[o] = c; val[o] = w;
            if (symmetric && r != c)
            {
                o = fill[c]++;
                idx[o] = r; val[o] = w;
            }
        }

        // Sort each row by column and merge duplicates, compacting in place (write cursor never passes the read cursor).
        var newPtr = new int[numRows + 1];
        int wr = 0;
        for (int r = 0; r < numRows; r++)
        {
            int start = ptr[r], len = ptr[r + 1] - start;
            var ci = idx.AsSpan(start, len);
            var cv = val.AsSpan(start, len);
            ci.Sort(cv);
            int rowStart = wr;
            for (int k = 0; k < len; k++)
            {
                int c = ci[k]; float w = cv[k];
                if (wr > rowStart && idx[wr - 1] == c)
                {
                    ref float acc = ref val[wr - 1];
                    acc = duplicates switch
                    {
                        DuplicateEdges.Sum => acc + w,
                        DuplicateEdges.Max => MathF.Max(acc, w),
                        _ => 1f,
                    };
                }
                else
                {
                    idx[wr] = c; val[wr] = w; wr++;
                }
            }
            newPtr[r + 1] = wr;
        }
        if (wr != idx.Length)
        {
            Array.Resize(ref idx, wr);
            Array.Resize(ref val, wr);
        }
        return new CsrMatrix(numRows, numCols, newPtr, idx, val);
    }
}
