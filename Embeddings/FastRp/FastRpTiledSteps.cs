using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Recsys.Graphs;

namespace Recsys.Embeddings.FastRp;

/// <summary>
/// The row-wise steps of FastRP around the tiled products: the first power M R' with R' sparse (into a
/// <see cref="ColumnTiledMatrix"/>), the normalised weighted sum of the powers into the row-major result, and the
/// column standardisation of the result. Each step is one streaming pass, split into row chunks across threads.
/// </summary>
internal static class FastRpTiledSteps
{
    private const int W = ColumnTiledMatrix.TileWidth;

    private static int Chunks(int n) => Math.Max(1, Math.Min(n / 512, Environment.ProcessorCount * 4));

    private static (int R0, int R1) Range(int n, int chunks, int c) => ((int)((long)n * c / chunks), (int)((long)n * (c + 1) / chunks));

    private sealed record FirstJob(CsrMatrix M, SparseRandomProjection R, ColumnTiledMatrix U, int[] Bounds);

    /// <summary>U = M R' with R' kept sparse: each output row gathers the few non-zeros of its neighbours' projection rows.</summary>
    public static void FirstPower(CsrMatrix m, SparseRandomProjection r, ColumnTiledMatrix u)
    {
        int chunks = Chunks(m.Rows);
        var job = new FirstJob(m, r, u, CsrKernels.BalancedBounds(m.RowPtr, m.Rows, chunks));
        if (chunks == 1) FirstPowerRows(job, 0);
        else Parallel.For(0, chunks, c => FirstPowerRows(job, c));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void FirstPowerRows(FirstJob j, int chunk)
    {
        int n = j.M.Rows, tiles = j.U.Tiles;
        long stride = (long)n * W; // tiles are contiguous: tile t starts at t · stride
        float* u = j.U.TilePointer(0);
        fixed (int* mp = j.M.RowPtr, mi = j.M.ColIdx, rp = j.R.RowPtr, rc = j.R.Cols)
        fixed (float* mv = j.M.Values, rv = j.R.Values)
        {
            for (int i = j.Bounds[chunk], end = j.Bounds[chunk + 1]; i < end; i++)
            {
                float* row = u + (long)i * W;
                for (int t = 0; t < tiles; t++)
                {
                    Vector256<float>.Zero.Store(row + t * stride);
                    Vector256<float>.Zero.Store(row + t * stride + 8);
                }
                for (int k = mp[i], kEnd = mp[i + 1]; k < kEnd; k++)
                {
                    int nb = mi[k];
                    float w = mv[k];
                    for (int e = rp[nb], eEnd = rp[nb + 1]; e < eEnd; e++)
                    {
                        int c = rc[e];
                        row[(c >> 4) * stride + (c & (W - 1))] += w * rv[e];
                    }
                }
            }
        }
    }

    private sealed record AccumulateJob(ColumnTiledMatrix U, float[] Result, float Weight, bool Normalize, bool First, int Chunks);

    /// <summary>
    /// result += weight · normalize(U) row by row, result row-major [U.Rows, U.Cols] (result = … when
    /// <paramref name="first"/>, which writes every row, zero ones included). Rows of U with zero norm contribute nothing.
    /// </summary>
    public static void Accumulate(ColumnTiledMatrix u, float[] result, float weight, bool normalize, bool first)
    {
        if (weight == 0 && !first) return;
        var job = new AccumulateJob(u, result, weight, normalize, first, Chunks(u.Rows));
        if (job.Chunks == 1) AccumulateRows(job, 0);
        else Parallel.For(0, job.Chunks, c => AccumulateRows(job, c));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void AccumulateRows(AccumulateJob j, int chunk)
    {
        int n = j.U.Rows, dim = j.U.Cols, tiles = j.U.Tiles, full = dim / W, tail = dim - full * W;
        long stride = (long)n * W;
        float* u = j.U.TilePointer(0);
        var (r0, r1) = Range(n, j.Chunks, chunk);
        fixed (float* result = j.Result)
        {
            for (int r = r0; r < r1; r++)
            {
                float* ur = u + (long)r * W, er = result + (long)r * dim;
                float scale = j.Weight;
                if (j.Normalize)
                {
                    // Padding columns of U are zero, so whole tiles give the row norm.
                    var acc = Vector256<float>.Zero;
                    for (int t = 0; t < tiles; t++)
                    {
                        var lo = Vector256.Load(ur + t * stride); var hi = Vector256.Load(ur + t * stride + 8);
                        acc = Vector256.FusedMultiplyAdd(lo, lo, Vector256.FusedMultiplyAdd(hi, hi, acc));
                    }
                    float sq = Vector256.Sum(acc);
                    scale = sq == 0 ? 0f : j.Weight / MathF.Sqrt(sq);
                }
                var sv = Vector256.Create(scale);
                if (j.First)
                {
                    for (int t = 0; t < full; t++)
                    {
                        float* src = ur + t * stride, dst = er + t * W;
                        (Vector256.Load(src) * sv).Store(dst);
                        (Vector256.Load(src + 8) * sv).Store(dst + 8);
                    }
                    for (int c = 0; c < tail; c++) er[full * W + c] = ur[full * stride + c] * scale;
                }
                else if (scale != 0)
                {
                    for (int t = 0; t < full; t++)
                    {
                        float* src = ur + t * stride, dst = er + t * W;
                        Vector256.FusedMultiplyAdd(Vector256.Load(src), sv, Vector256.Load(dst)).Store(dst);
                        Vector256.FusedMultiplyAdd(Vector256.Load(src + 8), sv, Vector256.Load(dst + 8)).Store(dst + 8);
                    }
                    for (int c = 0; c < tail; c++) er[full * W + c] = MathF.FusedMultiplyAdd(ur[full * stride + c], scale, er[full * W + c]);
                }
            }
        }
    }

    /// <summary>Rows per block of the column statistics: fixed, so that the summation order (and the result) does not depend on the core count.</summary>
    private const int StatsBlock = 1024;

    private sealed record StatsJob(float[] X, int N, int Dim, double[] Sum, double[] Sq);

    private sealed record ScaleJob(float[] X, int N, int Dim, float[] Mean, float[] Inv, int Chunks);

    /// <summary>
    /// Columns of the row-major [n, dim] array x to zero mean and unit (population) variance; constant columns are only
    /// centred. Sums are kept in double per block of rows and folded in block order.
    /// </summary>
    public static void StandardizeColumns(float[] x, int n, int dim)
    {
        if (n == 0) return;
        if (x.Length < (long)n * dim) throw new ArgumentException($"x has {x.Length} values, needs {(long)n * dim}.");
        int blocks = (n + StatsBlock - 1) / StatsBlock;
        var stats = new StatsJob(x, n, dim, new double[blocks * dim], new double[blocks * dim]);
        if (blocks == 1) ColumnStats(stats, 0);
        else Parallel.For(0, blocks, b => ColumnStats(stats, b));
        var mean = new float[dim];
        var inv = new float[dim];
        for (int c = 0; c < dim; c++)
        {
            double sum = 0, sq = 0;
            for (int b = 0; b < blocks; b++) { sum += stats.Sum[b * dim + c]; sq += stats.Sq[b * dim + c]; }
            double mu = sum / n;
            double var = Math.Max(0, sq / n - mu * mu);
            mean[c] = (float)mu;
            inv[c] = var > 1e-24 ? (float)(1 / Math.Sqrt(var)) : 1f;
        }
        var job = new ScaleJob(x, n, dim, mean, inv, Chunks(n));
        if (job.Chunks == 1) ScaleRows(job, 0);
        else Parallel.For(0, job.Chunks, c => ScaleRows(job, c));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void ColumnStats(StatsJob j, int block)
    {
        int dim = j.Dim, vec = dim & ~7;
        int r0 = block * StatsBlock, r1 = Math.Min(j.N, r0 + StatsBlock);
        fixed (float* x = j.X)
        fixed (double* sum0 = j.Sum, sq0 = j.Sq)
        {
            double* sum = sum0 + (long)block * dim, sq = sq0 + (long)block * dim;
            for (int r = r0; r < r1; r++)
            {
                float* row = x + (long)r * dim;
                int c = 0;
                for (; c < vec; c += 8)
                {
                    var (a, b) = Vector256.Widen(Vector256.Load(row + c));
                    (Vector256.Load(sum + c) + a).Store(sum + c);
                    (Vector256.Load(sum + c + 4) + b).Store(sum + c + 4);
                    Vector256.FusedMultiplyAdd(a, a, Vector256.Load(sq + c)).Store(sq + c);
                    Vector256.FusedMultiplyAdd(b, b, Vector256.Load(sq + c + 4)).Store(sq + c + 4);
                }
                for (; c < dim; c++) { double v = row[c]; sum[c] += v; sq[c] += v * v; }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void ScaleRows(ScaleJob j, int chunk)
    {
        int dim = j.Dim, vec = dim & ~7;
        var (r0, r1) = Range(j.N, j.Chunks, chunk);
        fixed (float* x = j.X, mean = j.Mean, inv = j.Inv)
        {
            for (int r = r0; r < r1; r++)
            {
                float* row = x + (long)r * dim;
                int c = 0;
                for (; c < vec; c += 8)
                    ((Vector256.Load(row + c) - Vector256.Load(mean + c)) * Vector256.Load(inv + c)).Store(row + c);
                for (; c < dim; c++) row[c] = (row[c] - mean[c]) * inv[c];
            }
        }
    }
}
