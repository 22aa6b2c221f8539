using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Recsys.Graphs;

/// <summary>CSR × dense products on <see cref="ColumnTiledMatrix"/> operands.</summary>
public static class ColumnTiledKernels
{
    /// <summary>
    /// y = A x, x [A.Cols, d] and y [A.Rows, d] column-tiled with the same d (y overwritten, padding columns of y get
    /// A times the padding of x, i.e. zero when x's padding is zero).
    /// </summary>
    /// <remarks>
    /// Work is one pass over A per tile: the tile of x (Cols · 64 B) stays in L2 while the CSR arrays stream, each
    /// non-zero is one aligned 64-byte load and one FMA into a register accumulator, and each output row is stored
    /// once. Tiles are independent, so threads take whole tiles (each core keeps its own tile in its own L2); rows are
    /// also split, into chunks of equal non-zeros, only when there are too few tiles to keep the cores busy.
    /// Each output element is summed by one thread in a fixed order, so results do not depend on scheduling.
    /// </remarks>
    public static void Multiply(CsrMatrix a, ColumnTiledMatrix x, ColumnTiledMatrix y)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Rows != a.Cols) throw new ArgumentException($"x has {x.Rows} rows, A has {a.Cols} columns.");
        if (y.Rows != a.Rows) throw new ArgumentException($"y has {y.Rows} rows, A has {a.Rows} rows.");
        if (x.Cols != y.Cols) throw new ArgumentException($"x has {x.Cols} columns, y has {y.Cols}.");
        if (ReferenceEquals(x, y)) throw new ArgumentException("x and y must be different matrices.");
        int tiles = y.Tiles;
        int chunks = Math.Clamp((2 * Environment.ProcessorCount + tiles - 1) / tiles, 1, Math.Max(1, a.Rows / 64));
        var job = new MultiplyJob(a, x, y, chunks, CsrKernels.BalancedBounds(a.RowPtr, a.Rows, chunks));
        int items = tiles * chunks;
        if (items == 1) MultiplyItem(job, 0);
        else Parallel.For(0, items, i => MultiplyItem(job, i));
    }

    private sealed record MultiplyJob(CsrMatrix A, ColumnTiledMatrix X, ColumnTiledMatrix Y, int Chunks, int[] Bounds);

    private static unsafe void MultiplyItem(MultiplyJob j, int item)
    {
        int t = item / j.Chunks, c = item % j.Chunks;
        float* x = j.X.TilePointer(t), y = j.Y.TilePointer(t);
        fixed (int* ptr = j.A.RowPtr, idx = j.A.ColIdx)
        fixed (float* val = j.A.Values)
        {
            if (Vector512.IsHardwareAccelerated) Tile512(ptr, idx, val, x, y, j.Bounds[c], j.Bounds[c + 1]);
            else Tile256(ptr, idx, val, x, y, j.Bounds[c], j.Bounds[c + 1]);
        }
    }

    /// <summary>One tile, rows r0..r1: four accumulators so that consecutive FMAs do not wait on each other's latency.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Tile512(int* ptr, int* idx, float* val, float* x, float* y, int r0, int r1)
    {
        const int w = ColumnTiledMatrix.TileWidth;
        for (int r = r0; r < r1; r++)
        {
            int k = ptr[r], end = ptr[r + 1];
            var a0 = Vector512<float>.Zero; var a1 = a0; var a2 = a0; var a3 = a0;
            for (; k + 4 <= end; k += 4)
            {
                a0 = Vector512.FusedMultiplyAdd(Vector512.Load(x + (nint)idx[k] * w), Vector512.Create(val[k]), a0);
                a1 = Vector512.FusedMultiplyAdd(Vector512.Load(x + (nint)idx[k + 1] * w), Vector512.Create(val[k + 1]), a1);
                a2 = Vector512.FusedMultiplyAdd(Vector512.Load(x + (nint)idx[k + 2] * w), Vector512.Create(val[k + 2]), a2);
                a3 = Vector512.FusedMultiplyAdd(Vector512.Load(x + (nint)idx[k + 3] * w), Vector512.Create(val[k + 3]), a3);
            }
            for (; k < end; k++)
                a0 = Vector512.FusedMultiplyAdd(Vector512.Load(x + (nint)idx[k] * w), Vector512.Create(val[k]), a0);
            ((a0 + a1) + (a2 + a3)).Store(y + (nint)r * w);
        }
    }

    /// <summary>As <see cref="Tile512"/> with each 16-wide tile row as two Vector256 halves.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Tile256(int* ptr, int* idx, float* val, float* x, float* y, int r0, int r1)
    {
        const int w = ColumnTiledMatrix.TileWidth;
        for (int r = r0; r < r1; r++)
        {
            int k = ptr[r], end = ptr[r + 1];
            var l0 = Vector256<float>.Zero; var h0 = l0; var l1 = l0; var h1 = l0;
            for (; k + 2 <= end; k += 2)
            {
                float* s0 = x + (nint)idx[k] * w, s1 = x + (nint)idx[k + 1] * w;
                var v0 = Vector256.Create(val[k]); var v1 = Vector256.Create(val[k + 1]);
                l0 = Vector256.FusedMultiplyAdd(Vector256.Load(s0), v0, l0);
                h0 = Vector256.FusedMultiplyAdd(Vector256.Load(s0 + 8), v0, h0);
                l1 = Vector256.FusedMultiplyAdd(Vector256.Load(s1), v1, l1);
                h1 = Vector256.FusedMultiplyAdd(Vector256.Load(s1 + 8), v1, h1);
            }
            if (k < end)
            {
                float* s0 = x + (nint)idx[k] * w;
                var v0 = Vector256.Create(val[k]);
                l0 = Vector256.FusedMultiplyAdd(Vector256.Load(s0), v0, l0);
                h0 = Vector256.FusedMultiplyAdd(Vector256.Load(s0 + 8), v0, h0);
            }
            float* d = y + (nint)r * w;
            (l0 + l1).Store(d);
            (h0 + h1).Store(d + 8);
        }
    }
}
