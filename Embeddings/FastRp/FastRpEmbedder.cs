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
    /// <remarks>
    /// The powers live column-tiled (<see cref="ColumnTiledMatrix"/>): each product M Mⁱ⁻¹R' then reads one L2-sized
    /// tile of the previous power at a time instead of gathering 2 KB rows from a 21 MB array (BlogCatalog, d = 512).
    /// Only two power buffers and the row-major result exist; the weighted sum is accumulated straight into the result,
    /// because on the machines measured first touch of fresh memory cost as much as a product.
    /// </remarks>
    public static float[] Embed(CsrMatrix adjacency, FastRpOptions options)
    {
        ArgumentNullException.ThrowIfNull(adjacency);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (adjacency.Rows != adjacency.Cols) throw new ArgumentException($"adjacency must be square, is {adjacency.Rows} × {adjacency.Cols}.");
        int n = adjacency.Rows, dim = options.Dim;

        var transition = AdjacencyBuilder.Transition(adjacency);
        double s = options.Sparsity ?? Math.Max(1.0, Math.Sqrt(n));
        var projection = SparseRandomProjection.Create(n, dim, s, options.Seed);
        if (options.Beta != 0) projection.ScaleRows(DegreePowers(adjacency, options.Beta));

        var result = GC.AllocateUninitializedArray<float>(n * dim);
        HugePages.Advise(result);
        using var current = new ColumnTiledMatrix(n, dim);
        using var next = new ColumnTiledMatrix(n, dim);
        var (u, v) = (current, next);
        FastRpTiledSteps.FirstPower(transition, projection, u);
        FastRpTiledSteps.Accumulate(u, result, options.Weights[0], options.NormalizePowers, first: true);
        for (int power = 1; power < options.Weights.Count; power++)
        {
            ColumnTiledKernels.Multiply(transition, u, v);
            FastRpTiledSteps.Accumulate(v, result, options.Weights[power], options.NormalizePowers, first: false);
            (u, v) = (v, u);
        }
        if (options.Standardize) FastRpTiledSteps.StandardizeColumns(result, n, dim);
        return result;
    }

    /// <summary>deg(r)^β for every node (0 for isolated nodes), deg = row sums of the adjacency.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float[] DegreePowers(CsrMatrix a, float beta)
    {
        var scale = new float[a.Rows];
        var ptr = a.RowPtr; var val = a.Values;
        for (int r = 0; r < a.Rows; r++)
        {
            float deg = 0;
            for (int k = ptr[r]; k < ptr[r + 1]; k++) deg += val[k];
            scale[r] = deg > 0 ? MathF.Pow(deg, beta) : 0f;
        }
        return scale;
    }

    /// <summary>Columns of the row-major [n, dim] array x to zero mean and unit (population) variance; constant columns are only centred.</summary>
    public static void StandardizeColumns(float[] x, int n, int dim) => FastRpTiledSteps.StandardizeColumns(x, n, dim);
}
