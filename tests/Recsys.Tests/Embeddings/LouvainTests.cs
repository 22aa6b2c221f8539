using Recsys.Embeddings.GraphHash;
using Recsys.Graphs;

namespace Recsys.Tests.Embeddings;

public class LouvainTests
{
    /// <summary>Modularity straight from the definition, O(n²) over a dense matrix.</summary>
    private static double BruteForce(CsrMatrix a, int[] labels, double gamma, int? bipartiteRows)
    {
        int n = a.Rows;
        var A = new double[n, n];
        for (int i = 0; i < n; i++)
            for (int k = a.RowPtr[i]; k < a.RowPtr[i + 1]; k++) A[i, a.ColIdx[k]] = a.Values[k];
        var k_ = new double[n];
        double twoM = 0;
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) { k_[i] += A[i, j]; twoM += A[i, j]; }
        double q = 0;
        if (bipartiteRows is not { } rows)
        {
            // Q = 1/2m Σij (Aij − γ ki kj / 2m) δ(ci, cj)
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++)
                    if (labels[i] == labels[j]) q += A[i, j] - gamma * k_[i] * k_[j] / twoM;
            return q / twoM;
        }
        // Barber: Q = 1/m Σ_{i user, j item} (Aij − γ ki dj / m) δ(ci, cj)
        double m = twoM / 2;
        for (int i = 0; i < rows; i++)
            for (int j = rows; j < n; j++)
                if (labels[i] == labels[j]) q += A[i, j] - gamma * k_[i] * k_[j] / m;
        return q / m;
    }

    private static CsrMatrix Graph(int n, List<(int, int)> edges, float weight = 1f) =>
        EdgeListGraph.Symmetric(n, edges.Select(e => e.Item1).ToArray(), edges.Select(e => e.Item2).ToArray(), Enumerable.Repeat(weight, edges.Count).ToArray());

    /// <summary>k cliques of size s in a ring, neighbouring cliques joined by one edge.</summary>
    private static CsrMatrix RingOfCliques(int k, int s)
    {
        var e = new List<(int, int)>();
        for (int c = 0; c < k; c++)
        {
            for (int i = 0; i < s; i++) for (int j = i + 1; j < s; j++) e.Add((c * s + i, c * s + j));
            e.Add((c * s, ((c + 1) % k) * s + 1));
        }
        return Graph(k * s, e);
    }

    /// <summary>Bipartite planted partition: users and items in b blocks, dense inside blocks, sparse noise across.</summary>
    private static (CsrMatrix A, int Users, int[] Truth) PlantedBipartite(int blocks, int usersPer, int itemsPer, int seed)
    {
        var rng = new Random(seed);
        int users = blocks * usersPer, items = blocks * itemsPer;
        var e = new List<(int, int)>();
        for (int u = 0; u < users; u++)
            for (int i = 0; i < items; i++)
            {
                bool same = u / usersPer == i / itemsPer;
                if (rng.NextDouble() < (same ? 0.6 : 0.02)) e.Add((u, users + i));
            }
        var truth = Enumerable.Range(0, users).Select(u => u / usersPer).Concat(Enumerable.Range(0, items).Select(i => i / itemsPer)).ToArray();
        return (Graph(users + items, e), users, truth);
    }

    private static bool SamePartition(int[] a, int[] b)
    {
        var map = new Dictionary<int, int>(); var back = new Dictionary<int, int>();
        for (int i = 0; i < a.Length; i++)
        {
            if (map.TryGetValue(a[i], out int x) && x != b[i]) return false;
            if (back.TryGetValue(b[i], out int y) && y != a[i]) return false;
            map[a[i]] = b[i]; back[b[i]] = a[i];
        }
        return true;
    }

    [Theory]
    [InlineData(1.0, false)]
    [InlineData(2.5, false)]
    [InlineData(1.0, true)]
    [InlineData(0.5, true)]
    public void ModularityMatchesBruteForce(double gamma, bool bipartite)
    {
        var rng = new Random(4);
        var (a, users, _) = PlantedBipartite(3, 6, 5, seed: 2);
        // Non-bipartite case: add user-user edges and weights so it is a general weighted graph.
        if (!bipartite)
        {
            var e = new List<(int, int)>();
            for (int i = 0; i < a.Rows; i++)
                for (int k = a.RowPtr[i]; k < a.RowPtr[i + 1]; k++) if (a.ColIdx[k] > i) e.Add((i, a.ColIdx[k]));
            for (int t = 0; t < 30; t++) e.Add((rng.Next(a.Rows), rng.Next(a.Rows)));
            a = Graph(a.Rows, e, 2f);
        }
        for (int trial = 0; trial < 5; trial++)
        {
            var labels = Enumerable.Range(0, a.Rows).Select(_ => rng.Next(4)).ToArray();
            double want = BruteForce(a, labels, gamma, bipartite ? users : null);
            double got = bipartite ? Modularity.Bipartite(a, users, labels, gamma) : Modularity.Standard(a, labels, gamma);
            Assert.Equal(want, got, 10);
        }
    }

    [Fact]
    public void RingOfCliquesIsRecovered()
    {
        var a = RingOfCliques(8, 6);
        var r = Louvain.Cluster(a, new LouvainOptions { Seed = 1 });
        var truth = Enumerable.Range(0, 48).Select(i => i / 6).ToArray();
        Assert.True(SamePartition(truth, r.Labels), string.Join(",", r.Labels));
        Assert.Equal(8, r.Clusters);
        Assert.Equal(Modularity.Standard(a, truth), r.Modularity, 10);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void BipartitePlantedPartitionIsRecovered(int seed)
    {
        var (a, users, truth) = PlantedBipartite(4, 15, 12, seed);
        var r = Louvain.ClusterBipartite(a, users, new LouvainOptions { Seed = seed });
        Assert.True(SamePartition(truth, r.Labels));
        Assert.Equal(BruteForce(a, r.Labels, 1.0, users), r.Modularity, 10);
    }

    [Theory]
    [InlineData(1.0, false)]
    [InlineData(3.0, false)]
    [InlineData(1.0, true)]
    [InlineData(20.0, true)]
    public void ResultIsLocallyOptimal(double gamma, bool bipartite)
    {
        // No single node can raise modularity by moving to another existing cluster or to a cluster of its own.
        var (a, users, _) = PlantedBipartite(3, 8, 7, seed: 5);
        var o = new LouvainOptions { Resolution = gamma, Seed = 3 };
        var r = bipartite ? Louvain.ClusterBipartite(a, users, o) : Louvain.Cluster(a, o);
        double Q(int[] l) => BruteForce(a, l, gamma, bipartite ? users : null);
        double q = Q(r.Labels);
        Assert.Equal(q, r.Modularity, 10);
        var labels = (int[])r.Labels.Clone();
        for (int i = 0; i < a.Rows; i++)
        {
            int old = labels[i];
            for (int c = 0; c <= r.Clusters; c++)
            {
                if (c == old) continue;
                labels[i] = c;
                Assert.True(Q(labels) <= q + 1e-9, $"moving node {i} to {c} improves modularity");
            }
            labels[i] = old;
        }
    }

    [Fact]
    public void HigherResolutionGivesMoreClustersAndSeedIsDeterministic()
    {
        var a = FastRpTests.RandomGraph(200, 0.05, seed: 8);
        var low = Louvain.Cluster(a, new LouvainOptions { Resolution = 0.5, Seed = 2 });
        var high = Louvain.Cluster(a, new LouvainOptions { Resolution = 8, Seed = 2 });
        Assert.True(high.Clusters > low.Clusters, $"{high.Clusters} vs {low.Clusters}");
        Assert.Equal(low.Labels, Louvain.Cluster(a, new LouvainOptions { Resolution = 0.5, Seed = 2 }).Labels);
    }

    [Fact]
    public void EdgelessGraphKeepsSingletons()
    {
        var a = new CsrMatrix(3, 3, new int[4], [], []);
        var r = Louvain.Cluster(a, new LouvainOptions());
        Assert.Equal([0, 1, 2], r.Labels);
        Assert.Throws<ArgumentOutOfRangeException>(() => Louvain.Cluster(a, new LouvainOptions { Resolution = 0 }));
    }
}
