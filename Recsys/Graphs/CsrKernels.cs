using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Recsys.Graphs;

/// <summary>CSR × dense kernels. Hot loops live in static methods (a lambda-captured kernel ran at half speed in trials).</summary>
public static class CsrKernels
{
    /// <summary>y = A x, x row-major [A.Cols, dim], y row-major [A.Rows, dim].</summary>
    public static unsafe void Multiply(CsrMatrix a, ReadOnlySpan<float> x, Span<float> y, int dim)
    {
        if (x.Length < (long)a.Cols * dim) throw new ArgumentException($"x has {x.Length} values, needs {(long)a.Cols * dim}.");
        if (y.Length < (long)a.Rows * dim) throw new ArgumentException($"y has {y.Length} values, needs {(long)a.Rows * dim}.");
        fixed (float* px = x, py = y)
        {
            var job = new Job(a, px, py, dim, null);
            int chunks = Math.Max(1, Math.Min(a.Rows / 256, Environment.ProcessorCount * 8));
            if (chunks == 1) Rows(job, 0, a.Rows);
            else Parallel.For(0, chunks, c => Rows(job, (int)((long)a.Rows * c / chunks), (int)((long)a.Rows * (c + 1) / chunks)));
        }
    }

    /// <summary>
    /// y[i] = (A x)[rows[i]] for a subset of rows: x row-major [A.Cols, dim], y row-major [rows.Length, dim].
    /// Used when only a mini-batch's rows of a product are needed (the last propagation layer).
    /// </summary>
    public static unsafe void MultiplyRows(CsrMatrix a, ReadOnlySpan<int> rows, ReadOnlySpan<float> x, Span<float> y, int dim)
    {
        if (x.Length < (long)a.Cols * dim) throw new ArgumentException($"x has {x.Length} values, needs {(long)a.Cols * dim}.");
        if (y.Length < (long)rows.Length * dim) throw new ArgumentException($"y has {y.Length} values, needs {(long)rows.Length * dim}.");
        foreach (var r in rows) if ((uint)r >= (uint)a.Rows) throw new ArgumentOutOfRangeException(nameof(rows), $"row {r} is outside 0..{a.Rows - 1}.");
        fixed (float* px = x, py = y)
        fixed (int* pr = rows)
        {
            var job = new Job(a, px, py, dim, pr);
            int n = rows.Length;
            int chunks = Math.Max(1, Math.Min(n / 128, Environment.ProcessorCount * 4));
            if (chunks == 1) Rows(job, 0, n);
            else Parallel.For(0, chunks, c => Rows(job, (int)((long)n * c / chunks), (int)((long)n * (c + 1) / chunks)));
        }
    }

    /// <summary>
    /// y += Aᵀ g where g is zero outside <paramref name="rows"/>: y[col] += A[rows[i], col] · g[i] for every
    /// stored entry of the listed rows. g row-major [rows.Length, dim], y row-major [A.Cols, dim]. Serial
    /// (scatter writes would race), and cheap because it touches only the listed rows' entries.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void ScatterTransposeRows(CsrMatrix a, ReadOnlySpan<int> rows, ReadOnlySpan<float> g, Span<float> y, int dim)
    {
        if (g.Length < (long)rows.Length * dim) throw new ArgumentException($"g has {g.Length} values, needs {(long)rows.Length * dim}.");
        if (y.Length < (long)a.Cols * dim) throw new ArgumentException($"y has {y.Length} values, needs {(long)a.Cols * dim}.");
        var ptr = a.RowPtr; var idx = a.ColIdx; var val = a.Values;
        for (int i = 0; i < rows.Length; i++)
        {
            int r = rows[i];
            if ((uint)r >= (uint)a.Rows) throw new ArgumentOutOfRangeException(nameof(rows), $"row {r} is outside 0..{a.Rows - 1}.");
            var gi = g.Slice(i * dim, dim);
            for (int k = ptr[r]; k < ptr[r + 1]; k++)
            {
                var yc = y.Slice(idx[k] * dim, dim);
                TensorPrimitives.MultiplyAdd(gi, val[k], yc, yc);
            }
        }
    }

    private readonly unsafe struct Job(CsrMatrix a, float* x, float* y, int dim, int* rows)
    {
        public readonly CsrMatrix A = a;
        public readonly float* X = x;
        public readonly float* Y = y;
        public readonly int Dim = dim;
        /// <summary>Null: output row i is matrix row i; otherwise output row i is matrix row Rows[i].</summary>
        public readonly int* RowList = rows;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Rows(Job j, int r0, int r1)
    {
        int dim = j.Dim;
        var ptr = j.A.RowPtr; var idx = j.A.ColIdx; var val = j.A.Values;
        bool wide = dim % 64 == 0 && Vector256.IsHardwareAccelerated;
        for (int o = r0; o < r1; o++)
        {
            int r = j.RowList == null ? o : j.RowList[o];
            float* yr = j.Y + (long)o * dim;
            if (wide)
            {
                for (int c = 0; c < dim; c += 64) Row64(ptr[r], ptr[r + 1], idx, val, j.X + c, dim, yr + c);
                continue;
            }
            var ys = new Span<float>(yr, dim);
            ys.Clear();
            for (int k = ptr[r]; k < ptr[r + 1]; k++)
                TensorPrimitives.MultiplyAdd(new ReadOnlySpan<float>(j.X + (long)idx[k] * dim, dim), val[k], ys, ys);
        }
    }

    /// <summary>64 output columns of one row kept in eight 256-bit registers while the row's entries stream past.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.AggressiveInlining)]
    private static unsafe void Row64(int k0, int k1, int[] idx, float[] val, float* x, int stride, float* y)
    {
        Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default, a6 = default, a7 = default;
        for (int k = k0; k < k1; k++)
        {
            var w = Vector256.Create(val[k]);
            float* xr = x + (long)idx[k] * stride;
            a0 = Vector256.FusedMultiplyAdd(Vector256.Load(xr), w, a0);
            a1 = Vector256.FusedMultiplyAdd(Vector256.Load(xr + 8), w, a1);
            a2 = Vector256.FusedMultiplyAdd(Vector256.Load(xr + 16), w, a2);
            a3 = Vector256.FusedMultiplyAdd(Vector256.Load(xr + 24), w, a3);
            a4 = Vector256.FusedMultiplyAdd(Vector256.Load(xr + 32), w, a4);
            a5 = Vector256.FusedMultiplyAdd(Vector256.Load(xr + 40), w, a5);
            a6 = Vector256.FusedMultiplyAdd(Vector256.Load(xr + 48), w, a6);
            a7 = Vector256.FusedMultiplyAdd(Vector256.Load(xr + 56), w, a7);
        }
        a0.Store(y); a1.Store(y + 8); a2.Store(y + 16); a3.Store(y + 24);
        a4.Store(y + 32); a5.Store(y + 40); a6.Store(y + 48); a7.Store(y + 56);
    }
}
