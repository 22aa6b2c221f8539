using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Recsys.Graphs;

namespace Recsys.Embeddings.FastRp;

/// <summary>
/// FastRP node embeddings (Chen et al., CIKM 2019): E = Σᵢ αᵢ · normalize(Mⁱ R'), with M = D⁻¹ S the transition matrix
/// of the (weighted, symmetric) adjacency S, D = diag(row sums of S), and R' = diag(deg^β) R a very sparse random
/// projection whose rows are reweighted by node degree. Rows of each power are L2-normalised before the weighted sum and
/// the columns of E are standardised at the end (both optional). This is the order of the authors' reference code:
/// the degree weighting is applied to R once, the recursion Mⁱ R' runs on the unnormalised powers, and normalisation
/// only touches what is summed.
/// </summary>
public static class FastRpEmbedder
{
    /// <summary>
    /// Embeds the n nodes of the symmetric adjacency <paramref name="adjacency"/> (n × n, non-negative weights).
    /// Returns a row-major float array [n, options.Dim]; row r is node r. Isolated nodes get zero rows before standardisation.
    /// </summary>
    public static float[] Embed(CsrMatrix adjacency, FastRpOptions options)
    {
        ArgumentNullException.ThrowIfNull(adjacency);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (adjacency.Rows != adjacency.Cols) throw new ArgumentException($"adjacency must be square, is {adjacency.Rows} × {adjacency.Cols}.");
        int n = adjacency.Rows, dim = options.Dim;

        var degree = new float[n];
        for (int r = 0; r < n; r++)
            degree[r] = TensorPrimitives.Sum(adjacency.Values.AsSpan(adjacency.RowPtr[r], adjacency.RowPtr[r + 1] - adjacency.RowPtr[r]));
        var transition = AdjacencyBuilder.Transition(adjacency);

        double s = options.Sparsity ?? Math.Max(1.0, Math.Sqrt(n));
        var projection = SparseRandomProjection.Create(n, dim, s, options.Seed);
        if (options.Beta != 0)
        {
            var scale = new float[n];
            for (int r = 0; r < n; r++) scale[r] = degree[r] > 0 ? MathF.Pow(degree[r], options.Beta) : 0f;
            projection.ScaleRows(scale);
        }

        var result = new float[(long)n * dim];
        var current = new float[(long)n * dim];
        var next = new float[(long)n * dim];
        FirstPower(transition, projection, current);
        Accumulate(current, result, n, dim, options.Weights[0], options.NormalizePowers);
        for (int power = 1; power < options.Weights.Count; power++)
        {
            // Next power and its weighted contribution in one pass, while each new row is still in L1.
            var job = new PowerJob(transition, current, next, result, dim, options.Weights[power], options.NormalizePowers);
            int chunks = Math.Max(1, Math.Min(n / 256, Environment.ProcessorCount * 8));
            if (chunks == 1) PowerRows(job, 0, n);
            else Parallel.For(0, chunks, c => PowerRows(job, (int)((long)n * c / chunks), (int)((long)n * (c + 1) / chunks)));
            (current, next) = (next, current);
        }
        if (options.Standardize) StandardizeColumns(result, n, dim);
        return result;
    }

    /// <summary>U₁ = M R' with R' kept sparse: each output row gathers the few non-zeros of its neighbours' projection rows.</summary>
    private static void FirstPower(CsrMatrix m, SparseRandomProjection r, float[] u)
    {
        int n = m.Rows;
        int chunks = Math.Max(1, Math.Min(n / 512, Environment.ProcessorCount * 4));
        if (chunks == 1) FirstPowerRows(m, r, u, 0, n);
        else Parallel.For(0, chunks, c => FirstPowerRows(m, r, u, (int)((long)n * c / chunks), (int)((long)n * (c + 1) / chunks)));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void FirstPowerRows(CsrMatrix m, SparseRandomProjection r, float[] u, int r0, int r1)
    {
        int dim = r.Dim;
        var mp = m.RowPtr; var mi = m.ColIdx; var mv = m.Values;
        var rp = r.RowPtr; var rc = r.Cols; var rv = r.Values;
        for (int i = r0; i < r1; i++)
        {
            long o = (long)i * dim;
            u.AsSpan((int)o, dim).Clear();
            for (int k = mp[i]; k < mp[i + 1]; k++)
            {
                int j = mi[k];
                float w = mv[k];
                for (int t = rp[j]; t < rp[j + 1]; t++) u[o + rc[t]] += w * rv[t];
            }
        }
    }

    private sealed record PowerJob(CsrMatrix M, float[] X, float[] Y, float[] Result, int Dim, float Weight, bool Normalize);

    /// <summary>Y = M X for rows r0..r1, and Result += Weight · normalize(Y) row by row.</summary>
    /// <remarks>
    /// The axpy is written out with Vector256 rather than calling TensorPrimitives: this method is compiled fully
    /// optimised at once, while a library call starts in tier-0 code in a fresh process and millions of calls run there
    /// before tiering catches up.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void PowerRows(PowerJob j, int r0, int r1)
    {
        int dim = j.Dim;
        int vec = Vector256.IsHardwareAccelerated ? dim & ~7 : 0;
        int vec512 = Vector512.IsHardwareAccelerated ? dim & ~15 : 0;
        var ptr = j.M.RowPtr; var idx = j.M.ColIdx; var val = j.M.Values;
        fixed (float* x = j.X, y = j.Y, result = j.Result)
        {
            for (int r = r0; r < r1; r++)
            {
                float* yr = y + (long)r * dim;
                new Span<float>(yr, dim).Clear();
                for (int k = ptr[r], end = ptr[r + 1]; k < end; k++)
                {
                    float* xr = x + (long)idx[k] * dim;
                    float w = val[k];
                    var wv = Vector256.Create(w);
                    int c = 0;
                    if (vec512 > 0)
                    {
                        var wv16 = Vector512.Create(w);
                        for (; c < vec512; c += 16)
                            Vector512.FusedMultiplyAdd(Vector512.Load(xr + c), wv16, Vector512.Load(yr + c)).Store(yr + c);
                    }
                    for (; c < vec; c += 8)
                        Vector256.FusedMultiplyAdd(Vector256.Load(xr + c), wv, Vector256.Load(yr + c)).Store(yr + c);
                    for (; c < dim; c++) yr[c] += w * xr[c];
                }
                if (j.Weight == 0) continue;
                float scale = j.Weight;
                if (j.Normalize)
                {
                    float norm = TensorPrimitives.Norm(new ReadOnlySpan<float>(yr, dim));
                    if (norm == 0) continue;
                    scale /= norm;
                }
                var dst = new Span<float>(result + (long)r * dim, dim);
                TensorPrimitives.MultiplyAdd(new ReadOnlySpan<float>(yr, dim), scale, dst, dst);
            }
        }
    }

    /// <summary>result += weight · U (rows L2-normalised first when <paramref name="normalize"/>; zero rows stay zero).</summary>
    private static void Accumulate(float[] u, float[] result, int n, int dim, float weight, bool normalize)
    {
        int chunks = Math.Max(1, Math.Min(n / 512, Environment.ProcessorCount * 4));
        if (chunks == 1) AccumulateRows(u, result, dim, weight, normalize, 0, n);
        else Parallel.For(0, chunks, c => AccumulateRows(u, result, dim, weight, normalize, (int)((long)n * c / chunks), (int)((long)n * (c + 1) / chunks)));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AccumulateRows(float[] u, float[] result, int dim, float weight, bool normalize, int r0, int r1)
    {
        for (int i = r0; i < r1; i++)
        {
            var row = new ReadOnlySpan<float>(u, i * dim, dim);
            var dst = new Span<float>(result, i * dim, dim);
            float scale = weight;
            if (normalize)
            {
                float norm = TensorPrimitives.Norm(row);
                if (norm == 0) continue;
                scale = weight / norm;
            }
            TensorPrimitives.MultiplyAdd(row, scale, dst, dst);
        }
    }

    /// <summary>Columns to zero mean and unit (population) variance; constant columns are only centred.</summary>
    public static void StandardizeColumns(float[] x, int n, int dim)
    {
        if (n == 0) return;
        var mean = new double[dim];
        var sq = new double[dim];
        // Float partial sums over short runs of rows, folded into doubles, keep SIMD speed without float drift.
        var ps = new float[dim];
        var pq = new float[dim];
        const int run = 64;
        for (int i0 = 0; i0 < n; i0 += run)
        {
            Array.Clear(ps); Array.Clear(pq);
            for (int i = i0; i < Math.Min(n, i0 + run); i++)
            {
                var row = new ReadOnlySpan<float>(x, i * dim, dim);
                TensorPrimitives.Add(row, ps, ps);
                TensorPrimitives.MultiplyAdd(row, row, pq, pq);
            }
            for (int c = 0; c < dim; c++) { mean[c] += ps[c]; sq[c] += pq[c]; }
        }
        var m = new float[dim];
        var inv = new float[dim];
        for (int c = 0; c < dim; c++)
        {
            double mu = mean[c] / n;
            double var = Math.Max(0, sq[c] / n - mu * mu);
            m[c] = (float)mu;
            inv[c] = var > 1e-24 ? (float)(1 / Math.Sqrt(var)) : 1f;
        }
        for (int i = 0; i < n; i++)
        {
            var row = x.AsSpan(i * dim, dim);
            TensorPrimitives.Subtract(row, m, row);
            TensorPrimitives.Multiply(row, inv, row);
        }
    }
}
