using Recsys.Embeddings.FastRp;
using Recsys.Graphs;

namespace Recsys.Tests.Embeddings;

public class FastRpTests
{
    /// <summary>A random symmetric weighted graph with one isolated node (the last).</summary>
    internal static CsrMatrix RandomGraph(int n, double p, int seed)
    {
        var rng = new Random(seed);
        var src = new List<int>(); var dst = new List<int>(); var w = new List<float>();
        for (int i = 0; i < n - 1; i++)
            for (int j = i + 1; j < n - 1; j++)
                if (rng.NextDouble() < p) { src.Add(i); dst.Add(j); w.Add(1 + rng.Next(3)); }
        return EdgeListGraph.Symmetric(n, src.ToArray(), dst.ToArray(), w.ToArray());
    }

    /// <summary>FastRP computed densely in double from the definition, with the same random projection.</summary>
    private static double[,] BruteForce(CsrMatrix a, FastRpOptions o)
    {
        int n = a.Rows, d = o.Dim;
        var A = new double[n, n];
        for (int i = 0; i < n; i++)
            for (int k = a.RowPtr[i]; k < a.RowPtr[i + 1]; k++) A[i, a.ColIdx[k]] = a.Values[k];
        var deg = new double[n];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) deg[i] += A[i, j];
        var r = SparseRandomProjection.Create(n, d, o.Sparsity ?? Math.Sqrt(n), o.Seed);
        var R = new double[n, d];
        for (int i = 0; i < n; i++)
            for (int k = r.RowPtr[i]; k < r.RowPtr[i + 1]; k++)
                R[i, r.Cols[k]] = r.Values[k] * (deg[i] > 0 ? Math.Pow(deg[i], o.Beta) : 0);
        var U = R;
        var E = new double[n, d];
        foreach (var alpha in o.Weights)
        {
            var next = new double[n, d];
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++)
                    if (A[i, j] != 0)
                        for (int c = 0; c < d; c++) next[i, c] += A[i, j] / deg[i] * U[j, c];
            U = next;
            for (int i = 0; i < n; i++)
            {
                double norm = 0;
                for (int c = 0; c < d; c++) norm += U[i, c] * U[i, c];
                norm = Math.Sqrt(norm);
                double s = o.NormalizePowers ? (norm > 0 ? alpha / norm : 0) : alpha;
                for (int c = 0; c < d; c++) E[i, c] += s * U[i, c];
            }
        }
        if (o.Standardize)
            for (int c = 0; c < d; c++)
            {
                double m = 0, v = 0;
                for (int i = 0; i < n; i++) m += E[i, c];
                m /= n;
                for (int i = 0; i < n; i++) v += (E[i, c] - m) * (E[i, c] - m);
                double sd = Math.Sqrt(v / n);
                for (int i = 0; i < n; i++) E[i, c] = (E[i, c] - m) / (sd > 1e-12 ? sd : 1);
            }
        return E;
    }

    [Theory]
    [InlineData(70, true, true)]     // 4 full 16-wide tiles plus 6 columns
    [InlineData(128, true, false)]
    [InlineData(16, false, false)]
    [InlineData(8, true, true)]      // a single, half-padded tile
    [InlineData(100, false, true)]
    public void MatchesDenseDefinition(int dim, bool normalize, bool standardize)
    {
        var a = RandomGraph(60, 0.15, seed: 3);
        var o = new FastRpOptions { Dim = dim, Weights = [0.5f, 1f, 2f, 3f], Beta = -0.5f, NormalizePowers = normalize, Standardize = standardize, Seed = 9 };
        var got = FastRpEmbedder.Embed(a, o);
        var want = BruteForce(a, o);
        double maxErr = 0, maxVal = 0;
        for (int i = 0; i < a.Rows; i++)
            for (int c = 0; c < dim; c++)
            {
                maxErr = Math.Max(maxErr, Math.Abs(got[i * dim + c] - want[i, c]));
                maxVal = Math.Max(maxVal, Math.Abs(want[i, c]));
            }
        Assert.True(maxVal > 0);
        Assert.True(maxErr <= 1e-4 * Math.Max(1, maxVal), $"max error {maxErr} (max value {maxVal})");
    }

    [Fact]
    public void IsolatedNodeGetsZeroRowAndPowersAreUnitNorm()
    {
        var a = RandomGraph(40, 0.2, seed: 1);
        var e = FastRpEmbedder.Embed(a, new FastRpOptions { Dim = 32, Weights = [1f], Standardize = false });
        int last = a.Rows - 1;
        Assert.All(e.AsSpan(last * 32, 32).ToArray(), v => Assert.Equal(0f, v));
        // One power with weight 1 and row normalisation: every connected node's row has unit length.
        double norm = Math.Sqrt(e.AsSpan(0, 32).ToArray().Sum(v => (double)v * v));
        Assert.Equal(1.0, norm, 4);
    }

    [Fact]
    public void SeedDeterminesResult()
    {
        var a = RandomGraph(50, 0.2, seed: 2);
        var o = new FastRpOptions { Dim = 64, Seed = 5 };
        Assert.Equal(FastRpEmbedder.Embed(a, o), FastRpEmbedder.Embed(a, o));
        Assert.NotEqual(FastRpEmbedder.Embed(a, o), FastRpEmbedder.Embed(a, o with { Seed = 6 }));
    }

    [Fact]
    public void DisjointCliquesAreSeparated()
    {
        // Two 10-cliques: nodes are closer (cosine) to their own clique than to the other one.
        var src = new List<int>(); var dst = new List<int>();
        for (int c = 0; c < 2; c++)
            for (int i = 0; i < 10; i++)
                for (int j = i + 1; j < 10; j++) { src.Add(c * 10 + i); dst.Add(c * 10 + j); }
        var a = EdgeListGraph.Symmetric(20, src.ToArray(), dst.ToArray(), Enumerable.Repeat(1f, src.Count).ToArray());
        int d = 256;
        var e = FastRpEmbedder.Embed(a, new FastRpOptions { Dim = d, Weights = [0f, 1f, 1f], Beta = 0, Standardize = false, Sparsity = 3 });
        double Cos(int x, int y)
        {
            var u = e.AsSpan(x * d, d); var v = e.AsSpan(y * d, d);
            return System.Numerics.Tensors.TensorPrimitives.CosineSimilarity(u, v);
        }
        for (int i = 1; i < 10; i++)
        {
            Assert.True(Cos(0, i) > 0.9, $"same clique cos {Cos(0, i)}");
            Assert.True(Math.Abs(Cos(0, 10 + i)) < 0.5, $"other clique cos {Cos(0, 10 + i)}");
        }
    }

    [Fact]
    public void StandardizeColumnsMatchesDoubleReferenceAcrossRowBlocks()
    {
        // 2,500 rows: the column sums run over several row blocks; 21 columns: a vector part and a scalar tail.
        int n = 2500, d = 21;
        var rng = new Random(4);
        var x = new float[n * d];
        for (int i = 0; i < x.Length; i++) x[i] = (float)(rng.NextDouble() * 10 + (i % d));
        for (int i = 0; i < n; i++) x[i * d + 5] = 3f; // constant column: only centred
        var orig = (float[])x.Clone();
        FastRpEmbedder.StandardizeColumns(x, n, d);
        for (int c = 0; c < d; c++)
        {
            double m = 0, v = 0;
            for (int i = 0; i < n; i++) m += orig[i * d + c];
            m /= n;
            for (int i = 0; i < n; i++) v += (orig[i * d + c] - m) * (orig[i * d + c] - m);
            double sd = Math.Sqrt(v / n);
            for (int i = 0; i < n; i++)
            {
                double want = (orig[i * d + c] - m) / (sd > 1e-12 ? sd : 1);
                Assert.True(Math.Abs(want - x[i * d + c]) <= 1e-5 * Math.Max(1, Math.Abs(want)), $"({i}, {c}): {x[i * d + c]} vs {want}");
            }
        }
    }

    [Fact]
    public void OptionsAreValidated()
    {
        var a = RandomGraph(10, 0.5, 1);
        Assert.Throws<ArgumentOutOfRangeException>(() => FastRpEmbedder.Embed(a, new FastRpOptions { Dim = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => FastRpEmbedder.Embed(a, new FastRpOptions { Weights = [] }));
        Assert.Throws<ArgumentOutOfRangeException>(() => FastRpEmbedder.Embed(a, new FastRpOptions { Sparsity = 0.5 }));
    }
}
