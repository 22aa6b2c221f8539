using System.Runtime.CompilerServices;
using Recsys.Graphs;

namespace Recsys.Embeddings.GraphHash;

/// <summary>
/// Louvain modularity clustering (Blondel et al., 2008) of a symmetric weighted CSR graph: local moving of single nodes
/// to the neighbouring cluster with the best modularity gain, then aggregation of clusters into nodes, repeated until a
/// level moves nothing. Local moving uses a work queue (only nodes whose neighbourhood changed are revisited, as in
/// the Leiden paper's fast local move), visits nodes in a seeded random order, and may also move a node into an
/// empty cluster when every neighbouring cluster has negative gain (matters at high resolution).
/// Works for standard modularity and for Barber's bipartite modularity (see <see cref="Modularity"/>), which
/// GraphHash (WWW 2025) uses to cluster the user-item graph.
/// </summary>
public static class Louvain
{
    /// <summary>Clusters by standard modularity with resolution γ.</summary>
    public static LouvainResult Cluster(CsrMatrix adjacency, LouvainOptions options) => Run(adjacency, null, options);

    /// <summary>Clusters by bipartite (Barber) modularity; nodes 0..rows-1 form one side, the rest the other.</summary>
    public static LouvainResult ClusterBipartite(CsrMatrix adjacency, int rows, LouvainOptions options) => Run(adjacency, rows, options);

    private static LouvainResult Run(CsrMatrix adjacency, int? bipartiteRows, LouvainOptions options)
    {
        ArgumentNullException.ThrowIfNull(adjacency);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (adjacency.Rows != adjacency.Cols) throw new ArgumentException($"adjacency must be square, is {adjacency.Rows} × {adjacency.Cols}.");
        var (a, b, total) = Modularity.NullModel(adjacency, bipartiteRows);
        int n = adjacency.Rows;
        var labels = new int[n];
        for (int i = 0; i < n; i++) labels[i] = i;
        if (n == 0 || total <= 0)
        {
            return new LouvainResult(labels, n, 0, 0);
        }

        var original = WorkGraph.From(adjacency, a, b, total);
        var g = original;
        var rng = new Random(options.Seed);
        int levels = 0;
        while (levels < options.MaxLevels)
        {
            var comm = MoveNodes(g, null, options.Resolution, options.MinGain, rng, out bool moved);
            if (!moved) break;
            levels++;
            int clusters = Renumber(comm);
            for (int i = 0; i < n; i++) labels[i] = comm[labels[i]];
            if (clusters == g.N) break;
            g = Aggregate(g, comm, clusters);
        }
        // Aggregation can leave single nodes that would gain by moving; one queue pass on the original graph,
        // starting from the final partition, makes the result locally optimal node by node.
        if (levels > 1) labels = MoveNodes(original, labels, options.Resolution, options.MinGain, rng, out _);
        int count = RenumberByFirstAppearance(labels);
        double q = Modularity.Compute(adjacency, labels, a, b, options.Resolution);
        return new LouvainResult(labels, count, q, levels);
    }

    /// <summary>
    /// One level of local moving from singletons, or from <paramref name="initial"/> (cluster ids in 0..n-1) when given;
    /// returns each node's cluster id (not yet dense).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int[] MoveNodes(WorkGraph g, int[]? initial, double gamma, double minGain, Random rng, out bool movedAny)
    {
        int n = g.N;
        var comm = initial is null ? new int[n] : (int[])initial.Clone();
        var outW = new double[n];
        var inW = new double[n];
        var size = new int[n];
        for (int i = 0; i < n; i++)
        {
            if (initial is null) comm[i] = i;
            outW[comm[i]] += g.A[i]; inW[comm[i]] += g.B[i]; size[comm[i]]++;
        }
        var empty = new Stack<int>();
        for (int c = n - 1; c >= 0; c--) if (size[c] == 0) empty.Push(c);

        // Circular work queue holding each node at most once, filled in a seeded random order.
        var queue = new int[n];
        for (int i = 0; i < n; i++) queue[i] = i;
        rng.Shuffle(queue);
        var queued = new bool[n];
        Array.Fill(queued, true);
        int head = 0, count = n;

        var neighW = new double[n];
        var touched = new int[n];
        double twoOverW = 2.0 / g.Total;
        var ptr = g.Ptr; var adj = g.Adj; var w = g.W;
        movedAny = false;

        while (count > 0)
        {
            int i = queue[head];
            head = head + 1 == n ? 0 : head + 1;
            count--;
            queued[i] = false;

            int old = comm[i];
            int nt = 0;
            for (int k = ptr[i]; k < ptr[i + 1]; k++)
            {
                int c = comm[adj[k]];
                if (neighW[c] == 0) touched[nt++] = c;
                neighW[c] += w[k];
            }
            double ai = g.A[i], bi = g.B[i];
            outW[old] -= ai; inW[old] -= bi; size[old]--;

            int best = old;
            double bestGain = twoOverW * neighW[old] - gamma * (ai * inW[old] + bi * outW[old]);
            for (int t = 0; t < nt; t++)
            {
                int c = touched[t];
                if (c == old) continue;
                double gain = twoOverW * neighW[c] - gamma * (ai * inW[c] + bi * outW[c]);
                if (gain > bestGain + minGain || (gain > bestGain && best != old)) { bestGain = gain; best = c; }
            }
            // An empty cluster has gain 0: better when every neighbouring cluster (and the old one) costs modularity.
            if (size[old] > 0 && 0 > bestGain + minGain)
            {
                while (empty.Count > 0 && size[empty.Peek()] > 0) empty.Pop();
                if (empty.Count > 0) { best = empty.Pop(); bestGain = 0; }
            }
            for (int t = 0; t < nt; t++) neighW[touched[t]] = 0;

            outW[best] += ai; inW[best] += bi; size[best]++;
            comm[i] = best;
            if (best == old) continue;
            movedAny = true;
            if (size[old] == 0) empty.Push(old);
            for (int k = ptr[i]; k < ptr[i + 1]; k++)
            {
                int j = adj[k];
                if (!queued[j] && comm[j] != best)
                {
                    queued[j] = true;
                    int tail = head + count;
                    if (tail >= n) tail -= n;
                    queue[tail] = j;
                    count++;
                }
            }
        }
        return comm;
    }

    /// <summary>Maps cluster ids to 0..C-1 in order of first appearance; returns C.</summary>
    private static int Renumber(int[] comm) => RenumberByFirstAppearance(comm);

    private static int RenumberByFirstAppearance(int[] labels)
    {
        int max = 0;
        foreach (var l in labels) max = Math.Max(max, l);
        var map = new int[max + 1];
        Array.Fill(map, -1);
        int next = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            ref int m = ref map[labels[i]];
            if (m < 0) m = next++;
            labels[i] = m;
        }
        return next;
    }

    /// <summary>The graph whose nodes are the clusters: summed edge weights, intra-cluster weight as self-loop, summed null-model weights.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static WorkGraph Aggregate(WorkGraph g, int[] comm, int clusters)
    {
        int n = g.N;
        // Members of each cluster, by counting sort.
        var start = new int[clusters + 1];
        foreach (var c in comm) start[c + 1]++;
        for (int c = 0; c < clusters; c++) start[c + 1] += start[c];
        var members = new int[n];
        var fill = start[..^1].ToArray();
        for (int i = 0; i < n; i++) members[fill[comm[i]]++] = i;

        var a = new double[clusters];
        var b = new double[clusters];
        var self = new double[clusters];
        var ptr = new int[clusters + 1];
        var adj = new List<int>(g.Adj.Length / 2);
        var wt = new List<double>(g.Adj.Length / 2);
        var acc = new double[clusters];
        var seen = new bool[clusters];
        var touched = new int[clusters];
        for (int c = 0; c < clusters; c++)
        {
            int nt = 0;
            double s = 0;
            for (int m = start[c]; m < start[c + 1]; m++)
            {
                int i = members[m];
                a[c] += g.A[i]; b[c] += g.B[i]; s += g.Self[i];
                for (int k = g.Ptr[i]; k < g.Ptr[i + 1]; k++)
                {
                    int d = comm[g.Adj[k]];
                    if (d == c) { s += g.W[k]; continue; }
                    if (!seen[d]) { seen[d] = true; touched[nt++] = d; }
                    acc[d] += g.W[k];
                }
            }
            self[c] = s;
            Array.Sort(touched, 0, nt);
            for (int t = 0; t < nt; t++)
            {
                int d = touched[t];
                adj.Add(d); wt.Add(acc[d]);
                acc[d] = 0; seen[d] = false;
            }
            ptr[c + 1] = adj.Count;
        }
        return new WorkGraph(clusters, ptr, adj.ToArray(), wt.ToArray(), self, a, b, g.Total);
    }

    /// <summary>The graph one level works on: off-diagonal CSR, self-loop weights apart, null-model weights, W = Σᵢⱼ Aᵢⱼ.</summary>
    private sealed record WorkGraph(int N, int[] Ptr, int[] Adj, double[] W, double[] Self, double[] A, double[] B, double Total)
    {
        public static WorkGraph From(CsrMatrix m, double[] a, double[] b, double total)
        {
            int n = m.Rows;
            var ptr = new int[n + 1];
            var self = new double[n];
            int nnz = 0;
            for (int i = 0; i < n; i++)
                for (int k = m.RowPtr[i]; k < m.RowPtr[i + 1]; k++)
                    if (m.ColIdx[k] != i) nnz++;
            var adj = new int[nnz];
            var w = new double[nnz];
            int o = 0;
            for (int i = 0; i < n; i++)
            {
                for (int k = m.RowPtr[i]; k < m.RowPtr[i + 1]; k++)
                {
                    if (m.ColIdx[k] == i) { self[i] += m.Values[k]; continue; }
                    adj[o] = m.ColIdx[k]; w[o++] = m.Values[k];
                }
                ptr[i + 1] = o;
            }
            return new WorkGraph(n, ptr, adj, w, self, a, b, total);
        }
    }
}
