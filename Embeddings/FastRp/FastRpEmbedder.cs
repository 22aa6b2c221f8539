using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
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
        var transition = Transition(adjacency, degree);

        double s = options.Sparsity ?? Math.Max(1.0, Math.Sqrt(n));
        var projection = SparseRandomProjection.Create(n, dim, s, options.Seed);
        if (options.Beta != 0)
        {
            var scale = new float[n];
            for (int r = 0; r < n; r++) scale[r] = degree[r] > 0 ? MathF.Pow(degree[r], options.Beta) : 0f;
            projection.ScaleRows(scale);
        }

        // Powers live in the column-blocked layout of ColumnBlockedSpmm; only the result is row-major.
        int pd = ColumnBlockedSpmm.PaddedDim(dim);
        var result = new float[(long)n * dim];
        var current = new float[(long)n * pd];
        var next = new float[(long)n * pd];
        FirstPower(transition, projection, current, pd);
        for (int power = 0; power < options.Weights.Count; power++)
        {
            if (power > 0)
            {
                ColumnBlockedSpmm.Multiply(transition, current, next, pd);
                (current, next) = (next, current);
            }
            if (options.Weights[power] != 0)
                Accumulate(current, result, n, dim, pd, options.Weights[power], options.NormalizePowers);
        }
        if (options.Standardize) StandardizeColumns(result, n, dim);
        return result;
    }

    /// <summary>D⁻¹ S with zero rows for isolated nodes.</summary>
    private static CsrMatrix Transition(CsrMatrix a, float[] degree)
    {
        var val = new float[a.NonZeros];
        for (int r = 0; r < a.Rows; r++)
        {
            float inv = degree[r] > 0 ? 1f / degree[r] : 0f;
            for (int k = a.RowPtr[r]; k < a.RowPtr[r + 1]; k++) val[k] = a.Values[k] * inv;
        }
        return new CsrMatrix(a.Rows, a.Cols, a.RowPtr, a.ColIdx, val);
    }

    /// <summary>U₁ = M R' with R' kept sparse: each output row gathers the few non-zeros of its neighbours' projection rows.</summary>
    private static void FirstPower(CsrMatrix m, SparseRandomProjection r, float[] u, int pd)
    {
        int n = m.Rows;
        int chunks = Math.Max(1, Math.Min(n / 512, Environment.ProcessorCount * 4));
        if (chunks == 1) FirstPowerRows(m, r, u, pd, 0, n);
        else Parallel.For(0, chunks, c => FirstPowerRows(m, r, u, pd, (int)((long)n * c / chunks), (int)((long)n * (c + 1) / chunks)));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void FirstPowerRows(CsrMatrix m, SparseRandomProjection r, float[] u, int pd, int r0, int r1)
    {
        int n = m.Rows;
        var mp = m.RowPtr; var mi = m.ColIdx; var mv = m.Values;
        var rp = r.RowPtr; var rc = r.Cols; var rv = r.Values;
        for (int b = 0; b < ColumnBlockedSpmm.Blocks(pd); b++)
        {
            int w = ColumnBlockedSpmm.Width(pd, b);
            u.AsSpan((int)ColumnBlockedSpmm.Offset(n, pd, r0, b * ColumnBlockedSpmm.Block), (r1 - r0) * w).Clear();
        }
        for (int i = r0; i < r1; i++)
            for (int k = mp[i]; k < mp[i + 1]; k++)
            {
                int j = mi[k];
                float w = mv[k];
                for (int t = rp[j]; t < rp[j + 1]; t++) u[ColumnBlockedSpmm.Offset(n, pd, i, rc[t])] += w * rv[t];
            }
    }

    /// <summary>result += weight · U (rows L2-normalised first when <paramref name="normalize"/>; zero rows stay zero).</summary>
    private static void Accumulate(float[] u, float[] result, int n, int dim, int pd, float weight, bool normalize)
    {
        int chunks = Math.Max(1, Math.Min(n / 512, Environment.ProcessorCount * 4));
        if (chunks == 1) AccumulateRows(u, result, n, dim, pd, weight, normalize, 0, n);
        else Parallel.For(0, chunks, c => AccumulateRows(u, result, n, dim, pd, weight, normalize, (int)((long)n * c / chunks), (int)((long)n * (c + 1) / chunks)));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AccumulateRows(float[] u, float[] result, int n, int dim, int pd, float weight, bool normalize, int r0, int r1)
    {
        int blocks = ColumnBlockedSpmm.Blocks(pd);
        for (int i = r0; i < r1; i++)
        {
            float scale = weight;
            if (normalize)
            {
                float sq = 0;
                for (int b = 0; b < blocks; b++)
                {
                    var part = new ReadOnlySpan<float>(u, (int)ColumnBlockedSpmm.Offset(n, pd, i, b * ColumnBlockedSpmm.Block), ColumnBlockedSpmm.Width(pd, b));
                    sq += TensorPrimitives.Dot(part, part);
                }
                if (sq == 0) continue;
                scale = weight / MathF.Sqrt(sq);
            }
            for (int b = 0; b < blocks; b++)
            {
                int c0 = b * ColumnBlockedSpmm.Block;
                int w = Math.Min(ColumnBlockedSpmm.Width(pd, b), dim - c0);
                var part = new ReadOnlySpan<float>(u, (int)ColumnBlockedSpmm.Offset(n, pd, i, c0), w);
                var dst = new Span<float>(result, i * dim + c0, w);
                TensorPrimitives.MultiplyAdd(part, scale, dst, dst);
            }
        }
    }

    /// <summary>Columns to zero mean and unit (population) variance; constant columns are only centred.</summary>
    public static void StandardizeColumns(float[] x, int n, int dim)
    {
        if (n == 0) return;
        var mean = new double[dim];
        var sq = new double[dim];
        for (int i = 0; i < n; i++)
        {
            int o = i * dim;
            for (int c = 0; c < dim; c++) { double v = x[o + c]; mean[c] += v; sq[c] += v * v; }
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
