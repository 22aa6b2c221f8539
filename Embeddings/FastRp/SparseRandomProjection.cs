namespace Recsys.Embeddings.FastRp;

/// <summary>
/// A very sparse random projection matrix R (n × d) in CSR form (Li, Hastie &amp; Church, KDD 2006; Achlioptas 2003):
/// each entry is +√s or −√s with probability 1/(2s) each and 0 otherwise, so E[R²] = 1 per entry.
/// Non-zeros are drawn by geometric skipping over the n·d entries, so the cost is O(n·d/s), not O(n·d).
/// </summary>
public sealed class SparseRandomProjection
{
    private SparseRandomProjection(int rows, int dim, int[] rowPtr, int[] cols, float[] values)
    {
        Rows = rows; Dim = dim; RowPtr = rowPtr; Cols = cols; Values = values;
    }

    public int Rows { get; }
    public int Dim { get; }
    /// <summary>CSR row pointers (length Rows + 1).</summary>
    public int[] RowPtr { get; }
    /// <summary>Column of each non-zero, ascending within a row.</summary>
    public int[] Cols { get; }
    /// <summary>Value of each non-zero (±√s, possibly rescaled by <see cref="ScaleRows"/>).</summary>
    public float[] Values { get; }
    public int NonZeros => Cols.Length;

    /// <summary>Draws R with sparsity <paramref name="s"/> ≥ 1 (s = 1 gives a dense ±1 matrix) from a seeded generator.</summary>
    public static SparseRandomProjection Create(int rows, int dim, double s, int seed)
    {
        if (rows < 0) throw new ArgumentOutOfRangeException(nameof(rows), rows, "must be non-negative.");
        if (dim <= 0) throw new ArgumentOutOfRangeException(nameof(dim), dim, "must be positive.");
        if (!(s >= 1)) throw new ArgumentOutOfRangeException(nameof(s), s, "must be at least 1.");
        var rng = new Random(seed);
        long total = (long)rows * dim;
        double p = 1.0 / s;
        float mag = (float)Math.Sqrt(s);
        var cols = new List<int>((int)Math.Min(int.MaxValue / 2, total * p * 1.1 + 16));
        var vals = new List<float>(cols.Capacity);
        var ptr = new int[rows + 1];
        double logq = p >= 1 ? double.NegativeInfinity : Math.Log(1 - p);
        long pos = -1;
        int row = 0;
        while (true)
        {
            // Gap to the next non-zero is geometric: P(gap = g) = (1-p)^g p.
            long gap = p >= 1 ? 0 : (long)Math.Floor(Math.Log(1 - rng.NextDouble()) / logq);
            pos += gap + 1;
            if (pos >= total || pos < 0) break;
            int r = (int)(pos / dim);
            while (row < r) ptr[++row] = cols.Count;
            cols.Add((int)(pos % dim));
            vals.Add(rng.Next(2) == 0 ? mag : -mag);
        }
        while (row < rows) ptr[++row] = cols.Count;
        return new SparseRandomProjection(rows, dim, ptr, cols.ToArray(), vals.ToArray());
    }

    /// <summary>Multiplies row j by <paramref name="scale"/>[j] in place (FastRP's degree weighting diag(deg^β) R).</summary>
    public void ScaleRows(ReadOnlySpan<float> scale)
    {
        if (scale.Length != Rows) throw new ArgumentException($"scale has {scale.Length} entries, expected {Rows}.");
        for (int r = 0; r < Rows; r++)
            for (int k = RowPtr[r]; k < RowPtr[r + 1]; k++) Values[k] *= scale[r];
    }
}
