using Recsys.Graphs;

namespace Recsys.Tests.Graphs;

public class CsrMatrixBuilderTests
{
    private static readonly int[] Rows = [2, 0, 2, 0, 1, 2];
    private static readonly int[] Cols = [1, 2, 1, 0, 1, 0];
    private static readonly float[] W = [1f, 2f, 3f, 4f, 5f, 6f];

    [Fact]
    public void Unsorted_coo_with_duplicates_is_summed_and_sorted()
    {
        var m = CsrMatrixBuilder.FromEdges(3, 3, Rows, Cols, W);
        Assert.Equal([0, 2, 3, 5], m.RowPtr);
        Assert.Equal([0, 2, 1, 0, 1], m.ColIdx);
        Assert.Equal([4f, 2f, 5f, 6f, 4f], m.Values); // (2,1) = 1 + 3
    }

    [Fact]
    public void Max_and_binary_duplicate_policies()
    {
        var max = CsrMatrixBuilder.FromEdges(3, 3, Rows, Cols, W, duplicates: DuplicateEdges.Max);
        Assert.Equal([4f, 2f, 5f, 6f, 3f], max.Values);
        var bin = CsrMatrixBuilder.FromEdges(3, 3, Rows, Cols, W, duplicates: DuplicateEdges.Binary);
        Assert.Equal([1f, 1f, 1f, 1f, 1f], bin.Values);
    }

    [Fact]
    public void Missing_weights_mean_one()
    {
        var m = CsrMatrixBuilder.FromEdges(3, 3, Rows, Cols);
        Assert.Equal(2f, CsrMatrixTests.ToDense(m)[2, 1]);
        Assert.Equal(5, m.NonZeros);
    }

    [Fact]
    public void Symmetric_adds_reverse_edges_and_self_loops_once()
    {
        // Path 0-1-2 given once per edge, plus a self-loop on 2 and edge 1-0 repeated in reverse.
        int[] r = [0, 1, 2, 1];
        int[] c = [1, 2, 2, 0];
        var m = CsrMatrixBuilder.FromEdges(3, 3, r, c, symmetric: true, duplicates: DuplicateEdges.Binary);
        var d = CsrMatrixTests.ToDense(m);
        float[,] want = { { 0, 1, 0 }, { 1, 0, 1 }, { 0, 1, 1 } };
        Assert.Equal(want, d);
        var sum = CsrMatrixBuilder.FromEdges(3, 3, r, c, symmetric: true);
        Assert.Equal(2f, CsrMatrixTests.ToDense(sum)[0, 1]); // given in both directions → summed twice
        Assert.Equal(1f, CsrMatrixTests.ToDense(sum)[2, 2]);
    }

    [Fact]
    public void Random_coo_matches_dense_accumulation()
    {
        var rng = new Random(3);
        int n = 2000;
        var r = new int[n]; var c = new int[n]; var w = new float[n];
        var dense = new float[30, 20];
        for (int k = 0; k < n; k++)
        {
            r[k] = rng.Next(30); c[k] = rng.Next(20); w[k] = rng.Next(1, 4);
            dense[r[k], c[k]] += w[k];
        }
        var m = CsrMatrixBuilder.FromEdges(30, 20, r, c, w);
        Assert.Equal(dense, CsrMatrixTests.ToDense(m));
        for (int i = 0; i < 30; i++)
            for (int k = m.RowPtr[i] + 1; k < m.RowPtr[i + 1]; k++) Assert.True(m.ColIdx[k - 1] < m.ColIdx[k]);
    }

    [Fact]
    public void Bad_input_is_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => CsrMatrixBuilder.FromEdges(2, 2, [0, 2], [0, 1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => CsrMatrixBuilder.FromEdges(2, 2, [0], [-1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => CsrMatrixBuilder.FromEdges(2, 2, [0, 1], [0]));
        Assert.Throws<ArgumentOutOfRangeException>(() => CsrMatrixBuilder.FromEdges(2, 2, [0], [1], [1f, 2f]));
        Assert.Throws<ArgumentOutOfRangeException>(() => CsrMatrixBuilder.FromEdges(2, 3, [0], [1], symmetric: true));
    }
}
