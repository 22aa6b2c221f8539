using Recsys.Graphs;
using Recsys.Training;

namespace Recsys.Models;

/// <summary>
/// TransR training triples of one epoch, drawn as KGAT-pytorch does: (edges / batch + 1) batches; each row draws a
/// head uniformly among the entities with out-edges, one of its edges (h, r, t⁺) uniformly, and a corrupted tail t⁻
/// uniformly over all nodes such that (h, r, t⁻) is not an edge. All randomness from the given <see cref="Xoshiro256"/>.
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
        return (h, r, tp, tn);
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
