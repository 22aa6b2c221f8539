namespace Recsys.Graphs;

/// <summary>
/// A float sparse matrix in CSR form (Rows × Cols): the storage every numeric graph kernel in Recsys works on
/// (normalised adjacencies, transition matrices, propagation). Column ids are sorted within each row.
/// </summary>
public sealed class CsrMatrix
{
    public CsrMatrix(int rows, int cols, int[] rowPtr, int[] colIdx, float[] values)
    {
        if (rowPtr.Length != rows + 1) throw new ArgumentException($"rowPtr has {rowPtr.Length} entries, expected {rows + 1}.");
        if (colIdx.Length != values.Length || rowPtr[rows] != colIdx.Length)
            throw new ArgumentException("colIdx, values and rowPtr[rows] disagree on the number of non-zeros.");
        Rows = rows; Cols = cols; RowPtr = rowPtr; ColIdx = colIdx; Values = values;
    }

    public int Rows { get; }
    public int Cols { get; }
    public int[] RowPtr { get; }
    public int[] ColIdx { get; }
    public float[] Values { get; }
    public int NonZeros => ColIdx.Length;

    /// <summary>y = A x for dense row-major x [Cols, dim] into y [Rows, dim] (overwritten), rows spread over threads.</summary>
    public void Multiply(ReadOnlySpan<float> x, Span<float> y, int dim) => CsrKernels.Multiply(this, x, y, dim);

    /// <summary>Aᵀ as a new CSR matrix.</summary>
    public CsrMatrix Transpose()
    {
        var ptr = new int[Cols + 1];
        foreach (var c in ColIdx) ptr[c + 1]++;
        for (int c = 0; c < Cols; c++) ptr[c + 1] += ptr[c];
        var idx = new int[NonZeros];
        var val = new float[NonZeros];
        var fill = ptr[..^1].ToArray();
        for (int r = 0; r < Rows; r++)
            for (int k = RowPtr[r]; k < RowPtr[r + 1]; k++)
            {
                int dst = fill[ColIdx[k]]++;
                idx[dst] = r; val[dst] = Values[k];
            }
        return new CsrMatrix(Cols, Rows, ptr, idx, val);
    }
}
