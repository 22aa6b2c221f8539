using Recsys.Data;
using Recsys.Graphs;

namespace Recsys.Tests.Graphs;

public class AdjacencyBuilderTests
{
    // Users u0: {i0, i1}, u1: {i1, i2}, u2: {} (isolated). Vertices: u0=0 u1=1 u2=2 i0=3 i1=4 i2=5.
    // Degrees: u0 2, u1 2, u2 0, i0 1, i1 2, i2 1.
    internal static InteractionMatrix Tiny() => InteractionMatrix.From([0, 0, 1, 1], [0, 1, 1, 2], numUsers: 3, numItems: 3);

    private static readonly double S = 1 / Math.Sqrt(2); // 1/sqrt(2·1)

    [Fact]
    public void Symmetric_normalisation_by_hand()
    {
        var a = CsrMatrixTests.ToDense(AdjacencyBuilder.SymmetricNormalized(Tiny()));
        var want = new double[6, 6];
        want[0, 3] = want[3, 0] = S;    // u0-i0: 1/sqrt(2·1)
        want[0, 4] = want[4, 0] = 0.5;  // u0-i1: 1/sqrt(2·2)
        want[1, 4] = want[4, 1] = 0.5;  // u1-i1
        want[1, 5] = want[5, 1] = S;    // u1-i2
        for (int i = 0; i < 6; i++)
            for (int j = 0; j < 6; j++) Assert.Equal(want[i, j], a[i, j], 1e-6);
    }

    [Fact]
    public void Transition_by_hand()
    {
        var a = CsrMatrixTests.ToDense(AdjacencyBuilder.Transition(Tiny()));
        var want = new double[6, 6];
        want[0, 3] = want[0, 4] = 0.5;  // u0 → its 2 items
        want[1, 4] = want[1, 5] = 0.5;
        want[3, 0] = 1;                 // i0 → u0
        want[4, 0] = want[4, 1] = 0.5;  // i1 → u0, u1
        want[5, 1] = 1;
        for (int i = 0; i < 6; i++)
            for (int j = 0; j < 6; j++) Assert.Equal(want[i, j], a[i, j], 1e-6);
    }

    [Fact]
    public void Columns_are_sorted_and_rows_of_isolated_nodes_are_empty()
    {
        foreach (var m in new[] { AdjacencyBuilder.SymmetricNormalized(Tiny()), AdjacencyBuilder.Transition(Tiny()) })
        {
            Assert.Equal(0, m.RowPtr[3] - m.RowPtr[2]);
            for (int r = 0; r < m.Rows; r++)
                for (int k = m.RowPtr[r] + 1; k < m.RowPtr[r + 1]; k++) Assert.True(m.ColIdx[k - 1] < m.ColIdx[k]);
        }
    }

    [Fact]
    public void Random_graph_properties_sqrt_degree_eigenvector_and_stochastic_rows()
    {
        // D^-1/2 A D^-1/2 · sqrt(d) = sqrt(d) on non-isolated rows; D^-1 A has rows summing to 1.
        var rng = new Random(11);
        int users = 60, items = 40, n = 500;
        var us = new int[n]; var its = new int[n];
        for (int k = 0; k < n; k++) { us[k] = rng.Next(users); its[k] = rng.Next(items); }
        var r = InteractionMatrix.From(us, its, users, items);
        var g = BipartiteGraph.Build(r);
        var deg = g.Degrees();
        var x = deg.Select(d => MathF.Sqrt(d)).ToArray();
        var y = new float[x.Length];
        AdjacencyBuilder.SymmetricNormalized(r).Multiply(x, y, 1);
        for (int v = 0; v < x.Length; v++) Assert.Equal(x[v], y[v], 1e-4);

        var ones = Enumerable.Repeat(1f, x.Length).ToArray();
        AdjacencyBuilder.Transition(r).Multiply(ones, y, 1);
        for (int v = 0; v < x.Length; v++) Assert.Equal(deg[v] == 0 ? 0.0 : 1.0, y[v], 1e-5);
    }

    [Fact]
    public void General_matrix_overloads_agree_with_the_bipartite_builders()
    {
        var r = Tiny();
        var adj = BipartiteGraph.Build(r).ToAdjacency();
        Close(AdjacencyBuilder.SymmetricNormalized(r), AdjacencyBuilder.SymmetricNormalized(adj));
        Close(AdjacencyBuilder.Transition(r), AdjacencyBuilder.Transition(adj));
    }

    private static void Close(CsrMatrix want, CsrMatrix got)
    {
        Assert.Equal(want.RowPtr, got.RowPtr);
        Assert.Equal(want.ColIdx, got.ColIdx);
        for (int k = 0; k < want.NonZeros; k++) Assert.Equal(want.Values[k], got.Values[k], 1e-6);
    }

    [Fact]
    public void Weighted_transition_divides_by_weighted_degree()
    {
        var a = CsrMatrixBuilder.FromEdges(2, 2, [0, 0], [0, 1], [1f, 3f]);
        var t = CsrMatrixTests.ToDense(AdjacencyBuilder.Transition(a));
        Assert.Equal(0.25f, t[0, 0]);
        Assert.Equal(0.75f, t[0, 1]);
        Assert.Equal(0f, t[1, 0]);
    }
}
