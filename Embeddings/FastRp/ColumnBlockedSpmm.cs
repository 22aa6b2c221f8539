using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Recsys.Graphs;

namespace Recsys.Embeddings.FastRp;

/// <summary>
/// Y = A X for a CSR matrix A and a dense X stored column-blocked: the d columns are cut into blocks of
/// <see cref="Block"/> (the last one narrower, a multiple of 8), and block b holds its [n, width] slab row-major at
/// offset n·Block·b. One pass over A per block keeps that block's slab (n·64·4 bytes) in cache, and a 64-wide output
/// row lives in eight AVX registers for the whole row, so the kernel streams A once per block and touches memory
/// only for the gathered X rows. In trials on BlogCatalog (d = 512) this ran well ahead of the row-major kernel.
/// </summary>
public static class ColumnBlockedSpmm
{
    public const int Block = 64;

    /// <summary>Padded width: d rounded up to a multiple of 8.</summary>
    public static int PaddedDim(int dim) => (dim + 7) & ~7;

    /// <summary>Width of block b for padded dimension <paramref name="paddedDim"/>.</summary>
    public static int Width(int paddedDim, int b) => Math.Min(Block, paddedDim - b * Block);

    public static int Blocks(int paddedDim) => (paddedDim + Block - 1) / Block;

    /// <summary>Offset of element (row, col) in the blocked layout.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long Offset(int n, int paddedDim, int row, int col)
    {
        int b = col / Block;
        return (long)n * Block * b + (long)row * Width(paddedDim, b) + (col - b * Block);
    }

    /// <summary>y = A x, both column-blocked with padded width <paramref name="paddedDim"/>; rows spread over threads.</summary>
    public static void Multiply(CsrMatrix a, float[] x, float[] y, int paddedDim)
    {
        long need = (long)a.Rows * paddedDim;
        if (x.Length < need || y.Length < need) throw new ArgumentException($"x and y need {need} values.");
        int n = a.Rows;
        int chunks = Math.Max(1, Math.Min(n / 256, Environment.ProcessorCount * 4));
        if (chunks == 1) Rows(a, x, y, paddedDim, 0, n);
        else Parallel.For(0, chunks, c => Rows(a, x, y, paddedDim, (int)((long)n * c / chunks), (int)((long)n * (c + 1) / chunks)));
    }

    private static void Rows(CsrMatrix a, float[] x, float[] y, int paddedDim, int r0, int r1)
    {
        int n = a.Rows;
        for (int b = 0; b < Blocks(paddedDim); b++)
        {
            int w = Width(paddedDim, b);
            long off = (long)n * Block * b;
            if (w == Block && Vector256.IsHardwareAccelerated) Rows64(a, x, y, off, r0, r1);
            else RowsNarrow(a, x, y, off, w, r0, r1);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Rows64(CsrMatrix a, float[] x, float[] y, long off, int r0, int r1)
    {
        var ptr = a.RowPtr; var idx = a.ColIdx; var val = a.Values;
        fixed (float* px0 = x, py0 = y)
        {
            float* px = px0 + off, py = py0 + off;
            for (int r = r0; r < r1; r++)
            {
                var a0 = Vector256<float>.Zero; var a1 = a0; var a2 = a0; var a3 = a0;
                var a4 = a0; var a5 = a0; var a6 = a0; var a7 = a0;
                for (int k = ptr[r], end = ptr[r + 1]; k < end; k++)
                {
                    var v = Vector256.Create(val[k]);
                    float* s = px + (long)idx[k] * Block;
                    a0 = Vector256.FusedMultiplyAdd(Vector256.Load(s), v, a0);
                    a1 = Vector256.FusedMultiplyAdd(Vector256.Load(s + 8), v, a1);
                    a2 = Vector256.FusedMultiplyAdd(Vector256.Load(s + 16), v, a2);
                    a3 = Vector256.FusedMultiplyAdd(Vector256.Load(s + 24), v, a3);
                    a4 = Vector256.FusedMultiplyAdd(Vector256.Load(s + 32), v, a4);
                    a5 = Vector256.FusedMultiplyAdd(Vector256.Load(s + 40), v, a5);
                    a6 = Vector256.FusedMultiplyAdd(Vector256.Load(s + 48), v, a6);
                    a7 = Vector256.FusedMultiplyAdd(Vector256.Load(s + 56), v, a7);
                }
                float* d = py + (long)r * Block;
                a0.Store(d); a1.Store(d + 8); a2.Store(d + 16); a3.Store(d + 24);
                a4.Store(d + 32); a5.Store(d + 40); a6.Store(d + 48); a7.Store(d + 56);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RowsNarrow(CsrMatrix a, float[] x, float[] y, long off, int w, int r0, int r1)
    {
        var ptr = a.RowPtr; var idx = a.ColIdx; var val = a.Values;
        for (int r = r0; r < r1; r++)
        {
            var dst = y.AsSpan((int)(off + (long)r * w), w);
            dst.Clear();
            for (int k = ptr[r]; k < ptr[r + 1]; k++)
                TensorPrimitives.MultiplyAdd(x.AsSpan((int)(off + (long)idx[k] * w), w), val[k], dst, dst);
        }
    }
}
