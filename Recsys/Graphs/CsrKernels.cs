using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

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
            var job = new Job(a, px, py, dim);
            int chunks = Math.Max(1, Math.Min(a.Rows / 256, Environment.ProcessorCount * 8));
            if (chunks == 1) Rows(job, 0, a.Rows);
            else Parallel.For(0, chunks, c => Rows(job, (int)((long)a.Rows * c / chunks), (int)((long)a.Rows * (c + 1) / chunks)));
        }
    }

    private readonly unsafe struct Job(CsrMatrix a, float* x, float* y, int dim)
    {
        public readonly CsrMatrix A = a;
        public readonly float* X = x;
        public readonly float* Y = y;
        public readonly int Dim = dim;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Rows(Job j, int r0, int r1)
    {
        int dim = j.Dim;
        var ptr = j.A.RowPtr; var idx = j.A.ColIdx; var val = j.A.Values;
        for (int r = r0; r < r1; r++)
        {
            var yr = new Span<float>(j.Y + (long)r * dim, dim);
            yr.Clear();
            for (int k = ptr[r]; k < ptr[r + 1]; k++)
            {
                var xr = new ReadOnlySpan<float>(j.X + (long)idx[k] * dim, dim);
                TensorPrimitives.MultiplyAdd(xr, val[k], yr, yr);
            }
        }
    }
}
