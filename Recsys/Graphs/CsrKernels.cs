using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Recsys.Graphs;

/// <summary>CSR × dense kernels. Hot loops live in static methods (a lambda-captured kernel ran at half speed in trials).</summary>
public static class CsrKernels
{
    /// <summary>y = A x, x row-major [A.Cols, dim], y row-major [A.Rows, dim].</summary>
    public static void Multiply(CsrMatrix a, ReadOnlySpan<float> x, Span<float> y, int dim) => Multiply(a, x, y, dim, 1f);

    /// <summary>
    /// y = scale · A x, x row-major [A.Cols, dim], y row-major [A.Rows, dim]. Rows are split into chunks of about
    /// equal non-zeros (degrees are skewed: equal row counts left one thread with most of the work).
    /// </summary>
    public static unsafe void Multiply(CsrMatrix a, ReadOnlySpan<float> x, Span<float> y, int dim, float scale)
    {
        if (x.Length < (long)a.Cols * dim) throw new ArgumentException($"x has {x.Length} values, needs {(long)a.Cols * dim}.");
        if (y.Length < (long)a.Rows * dim) throw new ArgumentException($"y has {y.Length} values, needs {(long)a.Rows * dim}.");
        fixed (float* px = x, py = y)
        {
            var job = new Job(a, px, py, dim, null, scale);
            int chunks = Math.Max(1, Math.Min(a.Rows / 256, Environment.ProcessorCount * 4));
            if (chunks == 1) Rows(job, 0, a.Rows);
            else
            {
                var bounds = BalancedBounds(a.RowPtr, a.Rows, chunks);
                Parallel.For(0, chunks, c => Rows(job, bounds[c], bounds[c + 1]));
            }
        }
    }

    /// <summary>
    /// Row boundaries (length chunks + 1, first 0, last rows) of <paramref name="chunks"/> consecutive row ranges with
    /// about equal non-zeros plus rows, for splitting a CSR product over threads.
    /// </summary>
    public static int[] BalancedBounds(int[] rowPtr, int rows, int chunks)
    {
        var b = new int[chunks + 1];
        long total = rowPtr[rows] + (long)rows; // a row costs its entries plus one store
        int r = 0;
        for (int c = 1; c < chunks; c++)
        {
            long target = total * c / chunks;
            while (r < rows && rowPtr[r] + (long)r < target) r++;
            b[c] = r;
        }
        b[chunks] = rows;
        return b;
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
            var job = new Job(a, px, py, dim, pr, 1f);
            int n = rows.Length;
            int chunks = Math.Max(1, Math.Min(n / 128, Environment.ProcessorCount * 4));
            if (chunks == 1) Rows(job, 0, n);
            else Parallel.For(0, chunks, c => Rows(job, (int)((long)n * c / chunks), (int)((long)n * (c + 1) / chunks)));
        }
    }

    /// <summary>
    /// y = A G where G [A.Cols, dim] is zero except row c = g[slot[c]] for slot[c] ≥ 0: the product with a
    /// dense matrix that is non-zero only on a few rows (a mini-batch's gradient), without materialising G.
    /// Every row of y is written (no clearing needed) and rows run in parallel; for symmetric A this equals the
    /// scatter Aᵀ G of <see cref="ScatterTransposeRows"/>. g row-major [max slot + 1, dim], y row-major [A.Rows, dim].
    /// </summary>
    public static unsafe void MultiplySparseRows(CsrMatrix a, ReadOnlySpan<int> slot, ReadOnlySpan<float> g, Span<float> y, int dim)
    {
        if (slot.Length < a.Cols) throw new ArgumentException($"slot has {slot.Length} entries, needs {a.Cols}.");
        if (y.Length < (long)a.Rows * dim) throw new ArgumentException($"y has {y.Length} values, needs {(long)a.Rows * dim}.");
        foreach (var s in slot) if ((long)(s + 1) * dim > g.Length) throw new ArgumentException($"slot {s} is outside g.");
        fixed (float* pg = g, py = y)
        fixed (int* ps = slot)
        {
            var job = new Job(a, pg, py, dim, null, 1f, ps);
            int chunks = Math.Max(1, Math.Min(a.Rows / 256, Environment.ProcessorCount * 4));
            if (chunks == 1) Rows(job, 0, a.Rows);
            else
            {
                var bounds = BalancedBounds(a.RowPtr, a.Rows, chunks);
                Parallel.For(0, chunks, c => Rows(job, bounds[c], bounds[c + 1]));
            }
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

    private readonly unsafe struct Job(CsrMatrix a, float* x, float* y, int dim, int* rows, float scale, int* slot = null)
    {
        /// <summary>Null: x is dense; otherwise x row c is X[Slot[c]] when Slot[c] ≥ 0 and zero otherwise.</summary>
        public readonly int* Slot = slot;
        public readonly float Scale = scale;
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
        bool wide512 = dim == 64 && Vector512.IsHardwareAccelerated;
        bool wide = dim % 64 == 0 && Vector256.IsHardwareAccelerated;
        fixed (int* pi = idx)
        fixed (float* pv = val)
        {
            for (int o = r0; o < r1; o++)
            {
                int r = j.RowList == null ? o : j.RowList[o];
                float* yr = j.Y + (long)o * dim;
                if (j.Slot != null) { MaskedRow(ptr[r], ptr[r + 1], pi, pv, j.Slot, j.X, yr, dim); continue; }
                if (wide512) { Row64x512(ptr[r], ptr[r + 1], pi, pv, j.X, yr, j.Scale); continue; }
                if (wide)
                {
                    for (int c = 0; c < dim; c += 64) Row64(ptr[r], ptr[r + 1], idx, val, j.X + c, dim, yr + c, j.Scale);
                    continue;
                }
                var ys = new Span<float>(yr, dim);
                ys.Clear();
                for (int k = ptr[r]; k < ptr[r + 1]; k++)
                    TensorPrimitives.MultiplyAdd(new ReadOnlySpan<float>(j.X + (long)idx[k] * dim, dim), val[k] * j.Scale, ys, ys);
            }
        }
    }

    /// <summary>One output row of <see cref="MultiplySparseRows"/>: only entries whose column has a slot contribute.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void MaskedRow(int k0, int k1, int* idx, float* val, int* slot, float* g, float* y, int dim)
    {
        if (dim == 64 && Vector256.IsHardwareAccelerated)
        {
            Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default, a6 = default, a7 = default;
            for (int k = k0; k < k1; k++)
            {
                int s = slot[idx[k]];
                if (s < 0) continue;
                var w = Vector256.Create(val[k]);
                float* xr = g + ((long)s << 6);
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
            return;
        }
        var ys = new Span<float>(y, dim);
        ys.Clear();
        for (int k = k0; k < k1; k++)
        {
            int s = slot[idx[k]];
            if (s < 0) continue;
            TensorPrimitives.MultiplyAdd(new ReadOnlySpan<float>(g + (long)s * dim, dim), val[k], ys, ys);
        }
    }

    /// <summary>
    /// One row of width 64 in four 512-bit accumulators, two entries per iteration into separate accumulator sets
    /// (independent FMA chains), with the x row a few entries ahead prefetched (x rows are random reads).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.AggressiveInlining)]
    private static unsafe void Row64x512(int k0, int k1, int* idx, float* val, float* x, float* y, float scale)
    {
        const int Ahead = 6;
        Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default;
        Vector512<float> b0 = default, b1 = default, b2 = default, b3 = default;
        int k = k0;
        for (; k + 1 < k1; k += 2)
        {
            if (k + Ahead + 1 < k1)
            {
                float* p = x + ((long)idx[k + Ahead] << 6);
                Sse.Prefetch0(p); Sse.Prefetch0(p + 16); Sse.Prefetch0(p + 32); Sse.Prefetch0(p + 48);
                float* q = x + ((long)idx[k + Ahead + 1] << 6);
                Sse.Prefetch0(q); Sse.Prefetch0(q + 16); Sse.Prefetch0(q + 32); Sse.Prefetch0(q + 48);
            }
            float* xr = x + ((long)idx[k] << 6);
            float* xs = x + ((long)idx[k + 1] << 6);
            var w = Vector512.Create(val[k]);
            var v = Vector512.Create(val[k + 1]);
            a0 = Vector512.FusedMultiplyAdd(Vector512.Load(xr), w, a0);
            a1 = Vector512.FusedMultiplyAdd(Vector512.Load(xr + 16), w, a1);
            a2 = Vector512.FusedMultiplyAdd(Vector512.Load(xr + 32), w, a2);
            a3 = Vector512.FusedMultiplyAdd(Vector512.Load(xr + 48), w, a3);
            b0 = Vector512.FusedMultiplyAdd(Vector512.Load(xs), v, b0);
            b1 = Vector512.FusedMultiplyAdd(Vector512.Load(xs + 16), v, b1);
            b2 = Vector512.FusedMultiplyAdd(Vector512.Load(xs + 32), v, b2);
            b3 = Vector512.FusedMultiplyAdd(Vector512.Load(xs + 48), v, b3);
        }
        if (k < k1)
        {
            float* xr = x + ((long)idx[k] << 6);
            var w = Vector512.Create(val[k]);
            a0 = Vector512.FusedMultiplyAdd(Vector512.Load(xr), w, a0);
            a1 = Vector512.FusedMultiplyAdd(Vector512.Load(xr + 16), w, a1);
            a2 = Vector512.FusedMultiplyAdd(Vector512.Load(xr + 32), w, a2);
            a3 = Vector512.FusedMultiplyAdd(Vector512.Load(xr + 48), w, a3);
        }
        var s = Vector512.Create(scale);
        ((a0 + b0) * s).Store(y); ((a1 + b1) * s).Store(y + 16); ((a2 + b2) * s).Store(y + 32); ((a3 + b3) * s).Store(y + 48);
    }

    /// <summary>64 output columns of one row kept in eight 256-bit registers while the row's entries stream past.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.AggressiveInlining)]
    private static unsafe void Row64(int k0, int k1, int[] idx, float[] val, float* x, int stride, float* y, float scale)
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
        var s = Vector256.Create(scale);
        (a0 * s).Store(y); (a1 * s).Store(y + 8); (a2 * s).Store(y + 16); (a3 * s).Store(y + 24);
        (a4 * s).Store(y + 32); (a5 * s).Store(y + 40); (a6 * s).Store(y + 48); (a7 * s).Store(y + 56);
    }
}
