using System.Runtime.CompilerServices;
using Recsys.Graphs;
using static TorchSharp.torch;

namespace Recsys.Models;

/// <summary>
/// KGAT's relation-aware attention over the collaborative knowledge graph (Wang et al. KDD 2019, eq. 4–5):
/// π(h, r, t) = (W_r e_t)ᵀ tanh(W_r e_h + e_r), normalised by a softmax over the edges leaving h. The values live on
/// the graph's CSR pattern (edge k of <see cref="KnowledgeGraph"/>), so the attentive adjacency A is a
/// <see cref="CsrMatrix"/>; its transpose (needed by the backward, A is not symmetric) shares a precomputed
/// permutation, so refreshing both costs O(edges). Scores are computed without grad, relation by relation in chunks.
/// </summary>
public sealed class KgatAttention
{
    private const int Chunk = 1 << 15;
    private readonly KnowledgeGraph _g;
    private readonly int[] _transposeAt;      // edge k of A sits at _transposeAt[k] in Aᵀ
    private readonly int[] _tRowPtr, _tColIdx;
    private readonly int[][] _edgesOf;        // edge ids per relation

    public KgatAttention(KnowledgeGraph graph)
    {
        _g = graph;
        int n = graph.NumEntities, m = graph.EdgeCount;
        _tRowPtr = new int[n + 1];
        foreach (var t in graph.Tails) _tRowPtr[t + 1]++;
        for (int c = 0; c < n; c++) _tRowPtr[c + 1] += _tRowPtr[c];
        _tColIdx = new int[m];
        _transposeAt = new int[m];
        var fill = _tRowPtr[..^1].ToArray();
        for (int k = 0; k < m; k++)
        {
            int dst = fill[graph.Tails[k]]++;
            _tColIdx[dst] = graph.Heads[k]; _transposeAt[k] = dst;
        }
        var counts = new int[graph.NumRelations];
        foreach (var r in graph.Relations) counts[r]++;
        _edgesOf = counts.Select(c => new int[c]).ToArray();
        Array.Clear(counts);
        for (int k = 0; k < m; k++) _edgesOf[graph.Relations[k]][counts[graph.Relations[k]]++] = k;
    }

    public int Edges => _g.EdgeCount;

    /// <summary>Uniform attention 1/|N_h| (the softmax of all-zero scores): KGAT's starting point and the "w/o Att" ablation.</summary>
    public float[] Uniform()
    {
        var v = new float[Edges];
        for (int h = 0; h < _g.NumEntities; h++)
        {
            int lo = _g.RowPtr[h], hi = _g.RowPtr[h + 1];
            if (hi > lo) v.AsSpan(lo, hi - lo).Fill(1f / (hi - lo));
        }
        return v;
    }

    /// <summary>A (values = <paramref name="values"/>, one per edge) and Aᵀ, both N × N.</summary>
    public (CsrMatrix A, CsrMatrix AT) Matrices(float[] values)
    {
        var vt = new float[values.Length];
        for (int k = 0; k < values.Length; k++) vt[_transposeAt[k]] = values[k];
        int n = _g.NumEntities;
        return (new CsrMatrix(n, n, _g.RowPtr, _g.Tails, values), new CsrMatrix(n, n, _tRowPtr, _tColIdx, vt));
    }

    /// <summary>
    /// Softmax-normalised attention of every edge from the node embeddings <paramref name="ego"/> [N, d], relation
    /// embeddings <paramref name="relations"/> [R, k] and projections <paramref name="projections"/> [R, d, k].
    /// Runs under no_grad; returns one value per edge in CSR order.
    /// </summary>
    public float[] Compute(Tensor ego, Tensor relations, Tensor projections)
    {
        var scores = new float[Edges];
        using (no_grad())
        {
            for (int r = 0; r < _edgesOf.Length; r++)
            {
                var edges = _edgesOf[r];
                for (int start = 0; start < edges.Length; start += Chunk)
                {
                    using var scope = NewDisposeScope();
                    int len = Math.Min(Chunk, edges.Length - start);
                    var hi = new long[len]; var ti = new long[len];
                    for (int j = 0; j < len; j++) { int k = edges[start + j]; hi[j] = _g.Heads[k]; ti[j] = _g.Tails[k]; }
                    var w = projections[r];
                    var h = ego.index_select(0, tensor(hi, device: ego.device)).matmul(w);
                    var t = ego.index_select(0, tensor(ti, device: ego.device)).matmul(w);
                    var s = (t * tanh(h + relations[r])).sum(1).to(CPU).contiguous();
                    var sv = s.data<float>();
                    for (int j = 0; j < len; j++) scores[edges[start + j]] = sv[j];
                }
            }
        }
        SoftmaxRows(_g.RowPtr, scores);
        return scores;
    }

    /// <summary>In place: each CSR row of <paramref name="v"/> becomes its softmax (max-subtracted).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void SoftmaxRows(int[] rowPtr, float[] v)
    {
        for (int h = 0; h + 1 < rowPtr.Length; h++)
        {
            int lo = rowPtr[h], hi = rowPtr[h + 1];
            if (hi == lo) continue;
            var row = v.AsSpan(lo, hi - lo);
            float max = System.Numerics.Tensors.TensorPrimitives.Max(row);
            double sum = 0;
            for (int k = 0; k < row.Length; k++) { row[k] = MathF.Exp(row[k] - max); sum += row[k]; }
            float inv = (float)(1 / sum);
            System.Numerics.Tensors.TensorPrimitives.Multiply(row, inv, row);
        }
    }
}
