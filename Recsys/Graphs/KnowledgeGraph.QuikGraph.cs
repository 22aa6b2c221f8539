using QuikGraph;

namespace Recsys.Graphs;

/// <summary>QuikGraph view of <see cref="KnowledgeGraph"/>: edges are <c>STaggedEdge&lt;int, int&gt;</c> tagged with the relation.</summary>
public sealed partial class KnowledgeGraph : IBidirectionalGraph<int, STaggedEdge<int, int>>
{
    // In-edge index (by tail), built on first use: (pointers by tail, edge ids sorted by head then relation).
    private (int[] Ptr, int[] EdgeIds)? _in;

    private (int[] Ptr, int[] EdgeIds) InIndex => _in ??= BuildInIndex();

    private (int[], int[]) BuildInIndex()
    {
        var ptr = new int[NumEntities + 1];
        foreach (var t in Tails) ptr[t + 1]++;
        for (int v = 0; v < NumEntities; v++) ptr[v + 1] += ptr[v];
        var ids = new int[EdgeCount];
        var fill = ptr[..^1].ToArray();
        // Edges are visited by ascending head, so in-edges come out ordered by head.
        for (int k = 0; k < EdgeCount; k++) ids[fill[Tails[k]]++] = k;
        return (ptr, ids);
    }

    private STaggedEdge<int, int> EdgeAt(int k) => new(Heads[k], Tails[k], Relations[k]);

    public bool IsDirected => true;
    public bool AllowParallelEdges => true;
    public int VertexCount => NumEntities;
    public bool IsVerticesEmpty => NumEntities == 0;
    public IEnumerable<int> Vertices => Enumerable.Range(0, NumEntities);
    public bool ContainsVertex(int vertex) => (uint)vertex < (uint)NumEntities;

    public bool IsEdgesEmpty => EdgeCount == 0;
    public IEnumerable<STaggedEdge<int, int>> Edges
    {
        get { for (int k = 0; k < EdgeCount; k++) yield return EdgeAt(k); }
    }

    /// <summary>True when the triple (Source, Tag, Target) is in the graph.</summary>
    public bool ContainsEdge(STaggedEdge<int, int> edge) => FindEdge(edge.Source, edge.Target, edge.Tag) >= 0;

    public bool ContainsEdge(int source, int target) => ContainsVertex(source) && ContainsVertex(target) && Neighbors(source).BinarySearch(target) >= 0;

    /// <summary>Edge id of (head, relation, tail), or −1.</summary>
    public int FindEdge(int head, int tail, int relation)
    {
        if (!ContainsVertex(head) || !ContainsVertex(tail)) return -1;
        var tails = Neighbors(head); var rels = RelationsOf(head);
        for (int k = FirstOf(tails, tail); k < tails.Length && tails[k] == tail; k++)
            if (rels[k] == relation) return RowPtr[head] + k;
        return -1;
    }

    private static int FirstOf(ReadOnlySpan<int> sorted, int value)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < value) lo = mid + 1; else hi = mid;
        }
        return lo;
    }

    public IEnumerable<STaggedEdge<int, int>> OutEdges(int vertex)
    {
        Check(vertex);
        return Range(RowPtr[vertex], RowPtr[vertex + 1]);
    }

    private IEnumerable<STaggedEdge<int, int>> Range(int from, int to)
    {
        for (int k = from; k < to; k++) yield return EdgeAt(k);
    }

    public int OutDegree(int vertex) { Check(vertex); return OutDegreeOf(vertex); }
    public bool IsOutEdgesEmpty(int vertex) => OutDegree(vertex) == 0;

    public STaggedEdge<int, int> OutEdge(int vertex, int index)
    {
        if ((uint)index >= (uint)OutDegree(vertex)) throw new ArgumentOutOfRangeException(nameof(index));
        return EdgeAt(RowPtr[vertex] + index);
    }

    public bool TryGetOutEdges(int vertex, out IEnumerable<STaggedEdge<int, int>> edges)
    {
        edges = ContainsVertex(vertex) ? Range(RowPtr[vertex], RowPtr[vertex + 1]) : null!;
        return edges is not null;
    }

    /// <summary>The first edge source → target (lowest relation id).</summary>
    public bool TryGetEdge(int source, int target, out STaggedEdge<int, int> edge)
    {
        if (ContainsEdge(source, target))
        {
            edge = EdgeAt(RowPtr[source] + FirstOf(Neighbors(source), target));
            return true;
        }
        edge = default;
        return false;
    }

    /// <summary>All edges source → target, one per relation.</summary>
    public bool TryGetEdges(int source, int target, out IEnumerable<STaggedEdge<int, int>> edges)
    {
        if (!ContainsVertex(source) || !ContainsVertex(target)) { edges = null!; return false; }
        var tails = Neighbors(source);
        int first = FirstOf(tails, target), last = first;
        while (last < tails.Length && tails[last] == target) last++;
        edges = Range(RowPtr[source] + first, RowPtr[source] + last);
        return true;
    }

    public IEnumerable<STaggedEdge<int, int>> InEdges(int vertex)
    {
        Check(vertex);
        return InRange(vertex);
    }

    private IEnumerable<STaggedEdge<int, int>> InRange(int vertex)
    {
        var (ptr, ids) = InIndex;
        for (int k = ptr[vertex]; k < ptr[vertex + 1]; k++) yield return EdgeAt(ids[k]);
    }

    public int InDegree(int vertex)
    {
        Check(vertex);
        var (ptr, _) = InIndex;
        return ptr[vertex + 1] - ptr[vertex];
    }

    public bool IsInEdgesEmpty(int vertex) => InDegree(vertex) == 0;

    public STaggedEdge<int, int> InEdge(int vertex, int index)
    {
        if ((uint)index >= (uint)InDegree(vertex)) throw new ArgumentOutOfRangeException(nameof(index));
        var (ptr, ids) = InIndex;
        return EdgeAt(ids[ptr[vertex] + index]);
    }

    public bool TryGetInEdges(int vertex, out IEnumerable<STaggedEdge<int, int>> edges)
    {
        edges = ContainsVertex(vertex) ? InRange(vertex) : null!;
        return edges is not null;
    }

    public int Degree(int vertex) => OutDegree(vertex) + InDegree(vertex);

    private void Check(int v)
    {
        if (!ContainsVertex(v)) throw new VertexNotFoundException($"entity {v} is outside 0..{NumEntities - 1}.");
    }
}
