using Recsys.Data;
using Recsys.Graphs;
using Recsys.Models.Propagation;
using static TorchSharp.torch;

namespace Recsys.Tests.Models;

public class PropagationTests
{
    // Users u0, u1; items i0, i1; R = [[1, 0], [1, 1]]. Degrees: u0 1, u1 2, i0 2, i1 1.
    // Â: (u0,i0) = 1/√2, (u1,i0) = 1/2, (u1,i1) = 1/√2 and symmetric.
    private static InteractionMatrix Tiny() => InteractionMatrix.From([0, 1, 1], [0, 0, 1], 2, 2);

    private static float[] Hand(float[] e)
    {
        float r = 1 / MathF.Sqrt(2);
        // Â e with e = [u0, u1, i0, i1]
        return [r * e[2], 0.5f * e[2] + r * e[3], r * e[0] + 0.5f * e[1], r * e[1]];
    }

    [Theory]
    [InlineData(PropagationBackend.Csr)]
    [InlineData(PropagationBackend.Torch)]
    public void OneLayerMeanMatchesHandComputation(PropagationBackend backend)
    {
        using var p = new GraphPropagator(AdjacencyBuilder.SymmetricNormalized(Tiny()), symmetric: true, backend);
        float[] e = [1, 2, 3, 4];
        var ae = Hand(e);
        using var x = tensor(e, [4, 1]);
        using var mean = p.LayerMean(x, 1);
        var got = mean.data<float>().ToArray();
        for (int i = 0; i < 4; i++) Assert.Equal((e[i] + ae[i]) / 2, got[i], 5);
        // Only rows 3 and 0, in that order.
        using var rows = p.LayerMeanRows(x, [3, 0], 1);
        Assert.Equal(new[] { (e[3] + ae[3]) / 2, (e[0] + ae[0]) / 2 }, rows.data<float>().ToArray(), new FloatEq(1e-5f));
    }

    [Fact]
    public void TransitionWithSelfLoopsAveragesEachNodeWithItsNeighbours()
    {
        // u0–i0, u1–i0, u1–i1 → nodes u0, u1, i0, i1; each row is its node and neighbours, 1 / (degree + 1) each.
        var a = AdjacencyBuilder.TransitionWithSelfLoops(InteractionMatrix.From([0, 1, 1], [0, 0, 1], 2, 2));
        int[][] cols = [[0, 2], [1, 2, 3], [0, 1, 2], [1, 3]];
        for (int r = 0; r < 4; r++)
        {
            Assert.Equal(cols[r], a.ColIdx[a.RowPtr[r]..a.RowPtr[r + 1]]);
            Assert.All(a.Values[a.RowPtr[r]..a.RowPtr[r + 1]], v => Assert.Equal(1f / cols[r].Length, v));
        }
    }

    [Fact]
    public void TwoLayerMeanMatchesHandComputation()
    {
        using var p = new GraphPropagator(AdjacencyBuilder.SymmetricNormalized(Tiny()), symmetric: true, PropagationBackend.Csr);
        float[] e = [1, -2, 0.5f, 3];
        var a1 = Hand(e); var a2 = Hand(a1);
        using var x = tensor(e, [4, 1]);
        using var rows = p.LayerMeanRows(x, [0, 1, 2, 3], 2);
        var got = rows.data<float>().ToArray();
        for (int i = 0; i < 4; i++) Assert.Equal((e[i] + a1[i] + a2[i]) / 3, got[i], 5);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void LayerMeanRowsGradientMatchesTorchAndFiniteDifferences(int layers)
    {
        var (train, _) = Recsys.Tests.Training.TinyData.Communities(users: 12, items: 10, perUser: 4, testPerUser: 1);
        var adj = AdjacencyBuilder.SymmetricNormalized(train);
        using var csr = new GraphPropagator(adj, true, PropagationBackend.Csr);
        using var tor = new GraphPropagator(adj, true, PropagationBackend.Torch);
        random.manual_seed(3);
        using var e0 = randn(adj.Rows, 64);
        using var w = randn(5, 64);
        int[] rows = [4, 0, 17, 13, 9];
        double Loss(GraphPropagator p, Tensor e) { using var o = p.LayerMeanRows(e, rows, layers); using var s = (o * w).sum(); return s.item<float>(); }

        Tensor Grad(GraphPropagator p)
        {
            var e = e0.clone().requires_grad_(true);
            var o = p.LayerMeanRows(e, rows, layers);
            (o * w).sum().backward();
            return e.grad!.clone();
        }
        using var gc = Grad(csr);
        using var gt = Grad(tor);
        Assert.True(allclose(gc, gt, rtol: 1e-4, atol: 1e-5), "CSR and libtorch gradients differ");
        Assert.Equal(Loss(tor, e0), Loss(csr, e0), 3);

        // The loss is linear in E, so a unit finite difference recovers the gradient up to rounding.
        foreach (var (r, c) in new[] { (0, 0), (13, 7), (19, 63), (5, 1) })
        {
            using var plus = e0.clone();
            plus[r, c] = plus[r, c] + 1f;
            double fd = Loss(csr, plus) - Loss(csr, e0);
            Assert.Equal(fd, gc[r, c].item<float>(), 2);
        }
    }

    [Fact]
    public void SpmmGradientUsesTransposeForNonSymmetricMatrix()
    {
        // A = [[1, 2, 0], [0, 0, 3]] (2 x 3); y = A x; d sum(w ⊙ y)/dx = Aᵀ w.
        var a = new CsrMatrix(2, 3, [0, 2, 3], [0, 1, 2], [1, 2, 3]);
        // GraphPropagator needs a square matrix, so pad A to 3 x 3 with an empty row.
        var sq = new CsrMatrix(3, 3, [0, 2, 3, 3], [0, 1, 2], [1, 2, 3]);
        using var p = new GraphPropagator(sq, symmetric: false, PropagationBackend.Csr);
        using var x = tensor(new float[] { 1, 2, 3, 4, 5, 6 }, [3, 2]).requires_grad_(true);
        using var y = p.Multiply(x);
        Assert.Equal(new float[] { 1 + 6, 2 + 8, 15, 18, 0, 0 }, y.data<float>().ToArray());
        using var w = tensor(new float[] { 1, 0, 0, 1, 5, 5 }, [3, 2]);
        (y * w).sum().backward();
        // Aᵀ w: row0 = 1*w0 = [1,0]; row1 = 2*w0 = [2,0]; row2 = 3*w1 = [0,3].
        Assert.Equal(new float[] { 1, 0, 2, 0, 0, 3 }, x.grad!.data<float>().ToArray());
        Assert.Equal(2, a.Rows);
    }

    [Fact]
    public void RowsProductAndGradientMatchHandComputationForNonSymmetricMatrix()
    {
        // A = [[1, 2, 0], [0, 0, 3], [4, 0, 0]]; rows [2, 0]: y = [A x]_2, [A x]_0; d sum(w ⊙ y)/dx = Aᵀ (w placed on rows 2, 0).
        var a = new CsrMatrix(3, 3, [0, 2, 3, 4], [0, 1, 2, 0], [1, 2, 3, 4]);
        var aT = a.Transpose();
        int[] rows = [2, 0];
        var expectGrad = new float[] { 4 * 1 + 1 * 5, 4 * 0 + 1 * 6, 2 * 5, 2 * 6, 0, 0 };
        foreach (var backend in new[] { PropagationBackend.Csr, PropagationBackend.Torch })
        {
            using var p = new GraphPropagator(a, symmetric: false, backend);
            using var x = tensor(new float[] { 1, 2, 3, 4, 5, 6 }, [3, 2]).requires_grad_(true);
            using var y = p.MultiplyRows(x, rows, a, aT);
            Assert.Equal(new float[] { 4, 8, 1 + 6, 2 + 8 }, y.data<float>().ToArray());
            using var w = tensor(new float[] { 1, 0, 5, 6 }, [2, 2]);
            (y * w).sum().backward();
            Assert.Equal(expectGrad, x.grad!.data<float>().ToArray());
            using (no_grad())
            using (var yn = p.MultiplyRows(x, rows, a, aT)) Assert.Equal(y.data<float>().ToArray(), yn.data<float>().ToArray());
        }
    }

    [Theory]
    [InlineData(64)]
    [InlineData(128)]
    [InlineData(5)]
    public void CsrKernelsMatchDenseProduct(int dim)
    {
        // 700 nodes: enough rows for the kernels' parallel, non-zero-balanced chunking.
        var (train, _) = Recsys.Tests.Training.TinyData.Communities(users: 400, items: 300, perUser: 5, testPerUser: 1);
        var a = AdjacencyBuilder.SymmetricNormalized(train);
        var rnd = new Random(1);
        var x = Enumerable.Range(0, a.Cols * dim).Select(_ => (float)rnd.NextDouble() - 0.5f).ToArray();
        var dense = new double[a.Rows * dim];
        for (int r = 0; r < a.Rows; r++)
            for (int k = a.RowPtr[r]; k < a.RowPtr[r + 1]; k++)
                for (int d = 0; d < dim; d++) dense[r * dim + d] += a.Values[k] * x[a.ColIdx[k] * dim + d];
        var y = new float[a.Rows * dim];
        CsrKernels.Multiply(a, x, y, dim);
        for (int i = 0; i < y.Length; i++) Assert.Equal(dense[i], y[i], 1e-5);

        int[] rows = [7, 0, 35, 2, 650];
        var yr = new float[rows.Length * dim];
        CsrKernels.MultiplyRows(a, rows, x, yr, dim);
        for (int i = 0; i < rows.Length; i++)
            for (int d = 0; d < dim; d++) Assert.Equal(dense[rows[i] * dim + d], yr[i * dim + d], 1e-5);

        // Scatter of Aᵀ g with g on the listed rows equals the dense Aᵀ (zero-padded g).
        var g = Enumerable.Range(0, rows.Length * dim).Select(i => (float)(i % 7) - 3).ToArray();
        var ys = new float[a.Cols * dim];
        CsrKernels.ScatterTransposeRows(a, rows, g, ys, dim);
        var expect = new double[a.Cols * dim];
        for (int i = 0; i < rows.Length; i++)
            for (int k = a.RowPtr[rows[i]]; k < a.RowPtr[rows[i] + 1]; k++)
                for (int d = 0; d < dim; d++) expect[a.ColIdx[k] * dim + d] += a.Values[k] * g[i * dim + d];
        for (int i = 0; i < ys.Length; i++) Assert.Equal(expect[i], ys[i], 1e-5);

        // The parallel gather form of the same product (Â symmetric), writing every row of a dirty buffer.
        var slot = Enumerable.Repeat(-1, a.Cols).ToArray();
        for (int i = 0; i < rows.Length; i++) slot[rows[i]] = i;
        var yg = Enumerable.Repeat(9f, a.Rows * dim).ToArray();
        CsrKernels.MultiplySparseRows(a, slot, g, yg, dim);
        for (int i = 0; i < yg.Length; i++) Assert.Equal(expect[i], yg[i], 1e-5);

        // The scaled product over a dirty output buffer.
        var y4 = Enumerable.Repeat(9f, a.Rows * dim).ToArray();
        CsrKernels.Multiply(a, x, y4, dim, 0.25f);
        for (int i = 0; i < y4.Length; i++) Assert.Equal(0.25 * dense[i], y4[i], 1e-5);
    }

    [Fact]
    public void TensorSpanIsZeroCopy()
    {
        using var t = zeros(3, 2);
        TensorMemory.Floats(t)[3] = 7;
        Assert.Equal(7f, t[1, 1].item<float>());
    }

    private sealed class FloatEq(float tol) : IEqualityComparer<float>
    {
        public bool Equals(float a, float b) => Math.Abs(a - b) <= tol;
        public int GetHashCode(float f) => 0;
    }
}
