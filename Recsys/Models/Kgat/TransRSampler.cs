using Recsys.Graphs;
using Recsys.Training;

namespace Recsys.Models;

/// <summary>
/// TransR training triples of one epoch, drawn as KGAT-pytorch does: (edges / batch + 1) batches; each row draws a
/// head uniformly among the entities with out-edges, one of its edges (h, r, t⁺) uniformly, and a corrupted tail t⁻
/// uniformly over all nodes such that (h, r, t⁻) is not an edge. All randomness from the given <see cref="Xoshiro256"/>.
/// Within each batch the rows are then ordered by relation (ties by draw order), so the loss projects each relation's
/// rows with one matmul (<see cref="TransRLoss.ComputeGrouped"/>); the batch's mean loss does not depend on row order.
/// </summary>
public sealed class TransRSampler
{
    private readonly KnowledgeGraph _g;
    private readonly int[] _heads;

    public TransRSampler(KnowledgeGraph graph, int batchSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1, nameof(batchSize));
        _g = graph; BatchSize = batchSize;
        _heads = Enumerable.Range(0, graph.NumEntities).Where(h => graph.OutDegreeOf(h) > 0).ToArray();
        Batches = _heads.Length == 0 ? 0 : graph.EdgeCount / batchSize + 1;
    }

    public int BatchSize { get; }
    /// <summary>Batches per epoch.</summary>
    public int Batches { get; }

    /// <summary>Heads, relations, positive and negative tails, each [Batches × BatchSize]; advances <paramref name="rng"/>.</summary>
    public (int[] Heads, int[] Relations, int[] PositiveTails, int[] NegativeTails) Sample(ref Xoshiro256 rng)
    {
        int n = Batches * BatchSize, nodes = _g.NumEntities;
        var h = new int[n]; var r = new int[n]; var tp = new int[n]; var tn = new int[n];
        for (int i = 0; i < n; i++)
        {
            int head = _heads[rng.NextInt(_heads.Length)];
            int k = _g.RowPtr[head] + rng.NextInt(_g.OutDegreeOf(head));
            int rel = _g.Relations[k];
            int neg, tries = 0;
            do neg = rng.NextInt(nodes); while (HasEdge(head, rel, neg) && ++tries < 1000);
            h[i] = head; r[i] = rel; tp[i] = _g.Tails[k]; tn[i] = neg;
        }
        OrderBatchesByRelation(h, r, tp, tn);
        return (h, r, tp, tn);
    }

    private void OrderBatchesByRelation(int[] h, int[] r, int[] tp, int[] tn)
    {
        var key = new long[BatchSize];
        var order = new int[BatchSize];
        var (h0, r0, tp0, tn0) = (new int[BatchSize], new int[BatchSize], new int[BatchSize], new int[BatchSize]);
        for (int start = 0; start < h.Length; start += BatchSize)
        {
            for (int i = 0; i < BatchSize; i++) { key[i] = (long)r[start + i] * BatchSize + i; order[i] = i; }
            Array.Sort(key, order);
            h.AsSpan(start, BatchSize).CopyTo(h0); r.AsSpan(start, BatchSize).CopyTo(r0);
            tp.AsSpan(start, BatchSize).CopyTo(tp0); tn.AsSpan(start, BatchSize).CopyTo(tn0);
            for (int i = 0; i < BatchSize; i++)
            {
                int j = order[i];
                h[start + i] = h0[j]; r[start + i] = r0[j]; tp[start + i] = tp0[j]; tn[start + i] = tn0[j];
            }
        }
    }

    /// <summary>Whether (head, relation, tail) is an edge; rows are sorted by (tail, relation).</summary>
    public bool HasEdge(int head, int relation, int tail)
    {
        var tails = _g.Neighbors(head);
        var rels = _g.RelationsOf(head);
        int j = tails.BinarySearch(tail);
        if (j < 0) return false;
        while (j > 0 && tails[j - 1] == tail) j--;
        for (; j < tails.Length && tails[j] == tail; j++)
            if (rels[j] == relation) return true;
        return false;
    }
}
