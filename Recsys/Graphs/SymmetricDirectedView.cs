using QuikGraph;

namespace Recsys.Graphs;

/// <summary>
/// An <see cref="UndirectedCsrGraph"/> seen as a directed graph: each edge {u, v} is the arcs u→v and v→u (a self-loop is
/// one arc). Because the adjacency is symmetric, in-edges of v are its out-edges reversed, so no second index is stored.
/// Lets QuikGraph's directed algorithms (<c>BreadthFirstSearchAlgorithm</c>, <c>WeaklyConnectedComponentsAlgorithm</c>,
/// shortest paths) run on the CSR storage without copying.
/// </summary>
public sealed class SymmetricDirectedView : IBidirectionalGraph<int, SEdge<int>>
{
    private readonly UndirectedCsrGraph _g;

    public SymmetricDirectedView(UndirectedCsrGraph graph) => _g = graph ?? throw new ArgumentNullException(nameof(graph));

    public UndirectedCsrGraph Graph => _g;

    public bool IsDirected => true;
    public bool AllowParallelEdges => false;
    public int VertexCount => _g.VertexCount;
    public bool IsVerticesEmpty => _g.IsVerticesEmpty;
    public IEnumerable<int> Vertices => _g.Vertices;
    public bool ContainsVertex(int vertex) => _g.ContainsVertex(vertex);

    /// <summary>Number of arcs (= stored CSR entries).</summary>
    public int EdgeCount => _g.ColIdx.Length;
    public bool IsEdgesEmpty => EdgeCount == 0;

    public IEnumerable<SEdge<int>> Edges
    {
        get
        {
            for (int v = 0; v < _g.VertexCount; v++)
                for (int k = _g.RowPtr[v]; k < _g.RowPtr[v + 1]; k++)
                    yield return new SEdge<int>(v, _g.ColIdx[k]);
        }
    }

    public bool ContainsEdge(SEdge<int> edge) => _g.ContainsEdge(edge.Source, edge.Target);
    public bool ContainsEdge(int source, int target) => _g.ContainsEdge(source, target);

    public IEnumerable<SEdge<int>> OutEdges(int vertex)
    {
        Check(vertex);
        return Out(vertex);
    }

    private IEnumerable<SEdge<int>> Out(int v)
    {
        for (int k = _g.RowPtr[v]; k < _g.RowPtr[v + 1]; k++) yield return new SEdge<int>(v, _g.ColIdx[k]);
    }

    private IEnumerable<SEdge<int>> In(int v)
    {
        for (int k = _g.RowPtr[v]; k < _g.RowPtr[v + 1]; k++) yield return new SEdge<int>(_g.ColIdx[k], v);
    }

    public int OutDegree(int vertex) { Check(vertex); return _g.Degree(vertex); }
    public bool IsOutEdgesEmpty(int vertex) => OutDegree(vertex) == 0;
    public SEdge<int> OutEdge(int vertex, int index) => new(vertex, _g.NeighborAt(vertex, index));

    public bool TryGetOutEdges(int vertex, out IEnumerable<SEdge<int>> edges)
    {
        edges = ContainsVertex(vertex) ? Out(vertex) : null!;
        return edges is not null;
    }

    public bool TryGetEdge(int source, int target, out SEdge<int> edge)
    {
        bool found = _g.ContainsEdge(source, target);
        edge = found ? new SEdge<int>(source, target) : default;
        return found;
    }

    public bool TryGetEdges(int source, int target, out IEnumerable<SEdge<int>> edges)
    {
        if (!ContainsVertex(source) || !ContainsVertex(target)) { edges = null!; return false; }
        edges = _g.ContainsEdge(source, target) ? [new SEdge<int>(source, target)] : [];
        return true;
    }

    public IEnumerable<SEdge<int>> InEdges(int vertex)
    {
        Check(vertex);
        return In(vertex);
    }

    public int InDegree(int vertex) => OutDegree(vertex);
    public bool IsInEdgesEmpty(int vertex) => OutDegree(vertex) == 0;
    public SEdge<int> InEdge(int vertex, int index) => new(_g.NeighborAt(vertex, index), vertex);

    public bool TryGetInEdges(int vertex, out IEnumerable<SEdge<int>> edges)
    {
        edges = ContainsVertex(vertex) ? In(vertex) : null!;
        return edges is not null;
    }

    /// <summary>In-degree + out-degree (a self-loop counts twice, as in QuikGraph's BidirectionalGraph).</summary>
    public int Degree(int vertex) => 2 * OutDegree(vertex);

    private void Check(int v)
    {
        if (!ContainsVertex(v)) throw new VertexNotFoundException($"vertex {v} is outside 0..{VertexCount - 1}.");
    }
}
