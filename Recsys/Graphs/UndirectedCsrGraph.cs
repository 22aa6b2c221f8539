using QuikGraph;

namespace Recsys.Graphs;

/// <summary>
/// A simple undirected graph over vertices 0..VertexCount-1, stored as a symmetric CSR adjacency (each edge {u, v}
/// appears in row u and row v; a self-loop appears once in its row; neighbours sorted, no duplicates).
/// Numeric kernels read <see cref="RowPtr"/> / <see cref="ColIdx"/> / <see cref="Neighbors"/>; QuikGraph algorithms see it as
/// <see cref="IUndirectedGraph{TVertex,TEdge}"/> (e.g. <c>ConnectedComponentsAlgorithm</c>,
/// <c>UndirectedBreadthFirstSearchAlgorithm</c>) and through <see cref="AsDirected"/> as a bidirectional graph (e.g.
/// <c>BreadthFirstSearchAlgorithm</c>, <c>WeaklyConnectedComponentsAlgorithm</c>).
/// </summary>
public class UndirectedCsrGraph : IUndirectedGraph<int, SUndirectedEdge<int>>
{
    private readonly int _edgeCount;

    /// <summary>Wraps a symmetric CSR adjacency (not copied, not checked for symmetry; neighbours must be sorted and unique).</summary>
    protected UndirectedCsrGraph(int vertexCount, int[] rowPtr, int[] colIdx)
    {
        if (rowPtr.Length != vertexCount + 1) throw new ArgumentException($"rowPtr has {rowPtr.Length} entries, expected {vertexCount + 1}.");
        if (rowPtr[vertexCount] != colIdx.Length) throw new ArgumentException("rowPtr[n] disagrees with colIdx.Length.");
        VertexCount = vertexCount; RowPtr = rowPtr; ColIdx = colIdx;
        int selfLoops = 0;
        for (int v = 0; v < vertexCount; v++)
            if (Neighbors(v).BinarySearch(v) >= 0) selfLoops++;
        _edgeCount = (colIdx.Length + selfLoops) / 2;
    }

    /// <summary>
    /// The undirected graph of an edge list: edge k joins <paramref name="sources"/>[k] and <paramref name="targets"/>[k];
    /// repeated edges (in either direction) collapse to one.
    /// </summary>
    public static UndirectedCsrGraph FromEdges(int vertexCount, ReadOnlySpan<int> sources, ReadOnlySpan<int> targets)
    {
        var m = CsrMatrixBuilder.FromEdges(vertexCount, vertexCount, sources, targets, symmetric: true, duplicates: DuplicateEdges.Binary);
        return new UndirectedCsrGraph(vertexCount, m.RowPtr, m.ColIdx);
    }

    /// <summary>The graph of the non-zero pattern of a square, symmetric matrix (the caller guarantees symmetry).</summary>
    public static UndirectedCsrGraph FromSymmetric(CsrMatrix a)
    {
        if (a.Rows != a.Cols) throw new ArgumentException($"matrix must be square, got {a.Rows} × {a.Cols}.");
        return new UndirectedCsrGraph(a.Rows, a.RowPtr, a.ColIdx);
    }

    /// <summary>CSR row pointers, length VertexCount + 1.</summary>
    public int[] RowPtr { get; }
    /// <summary>Neighbour ids, sorted within each row; length 2·(edges) − (self-loops).</summary>
    public int[] ColIdx { get; }

    /// <summary>Sorted neighbours of <paramref name="v"/>.</summary>
    public ReadOnlySpan<int> Neighbors(int v) => ColIdx.AsSpan(RowPtr[v], RowPtr[v + 1] - RowPtr[v]);
    public int Degree(int v) => RowPtr[v + 1] - RowPtr[v];
    public int[] Degrees()
    {
        var d = new int[VertexCount];
        for (int v = 0; v < d.Length; v++) d[v] = Degree(v);
        return d;
    }

    /// <summary>The adjacency as a 0/1 float matrix sharing this graph's index arrays.</summary>
    public CsrMatrix ToAdjacency()
    {
        var ones = new float[ColIdx.Length];
        Array.Fill(ones, 1f);
        return new CsrMatrix(VertexCount, VertexCount, RowPtr, ColIdx, ones);
    }

    /// <summary>A directed view where each edge {u, v} is the two arcs u→v and v→u (a self-loop is one arc).</summary>
    public SymmetricDirectedView AsDirected() => new(this);

    // ---- QuikGraph ----
    public bool IsDirected => false;
    public bool AllowParallelEdges => false;
    public int VertexCount { get; }
    public bool IsVerticesEmpty => VertexCount == 0;
    public IEnumerable<int> Vertices => Enumerable.Range(0, VertexCount);
    public bool ContainsVertex(int vertex) => (uint)vertex < (uint)VertexCount;

    public int EdgeCount => _edgeCount;
    public bool IsEdgesEmpty => _edgeCount == 0;

    /// <summary>Each edge once, as (min, max).</summary>
    public IEnumerable<SUndirectedEdge<int>> Edges
    {
        get
        {
            for (int v = 0; v < VertexCount; v++)
                for (int k = RowPtr[v]; k < RowPtr[v + 1]; k++)
                    if (ColIdx[k] >= v) yield return new SUndirectedEdge<int>(v, ColIdx[k]);
        }
    }

    public bool ContainsEdge(SUndirectedEdge<int> edge) => ContainsEdge(edge.Source, edge.Target);

    public EdgeEqualityComparer<int> EdgeEqualityComparer { get; } = EdgeExtensions.GetUndirectedVertexEquality<int, SUndirectedEdge<int>>();

    public IEnumerable<SUndirectedEdge<int>> AdjacentEdges(int vertex)
    {
        CheckVertex(vertex);
        for (int k = RowPtr[vertex]; k < RowPtr[vertex + 1]; k++)
            yield return Edge(vertex, ColIdx[k]);
    }

    public int AdjacentDegree(int vertex) { CheckVertex(vertex); return Degree(vertex); }
    public bool IsAdjacentEdgesEmpty(int vertex) => AdjacentDegree(vertex) == 0;

    public SUndirectedEdge<int> AdjacentEdge(int vertex, int index) => Edge(vertex, NeighborAt(vertex, index));

    /// <summary>The <paramref name="index"/>-th neighbour (in sorted order) of <paramref name="vertex"/>.</summary>
    public int NeighborAt(int vertex, int index)
    {
        CheckVertex(vertex);
        if ((uint)index >= (uint)Degree(vertex)) throw new ArgumentOutOfRangeException(nameof(index));
        return ColIdx[RowPtr[vertex] + index];
    }

    public bool TryGetEdge(int source, int target, out SUndirectedEdge<int> edge)
    {
        if (ContainsEdge(source, target)) { edge = Edge(source, target); return true; }
        edge = default;
        return false;
    }

    public bool ContainsEdge(int source, int target) =>
        ContainsVertex(source) && ContainsVertex(target) && Neighbors(source).BinarySearch(target) >= 0;

    private static SUndirectedEdge<int> Edge(int a, int b) => a <= b ? new(a, b) : new(b, a);

    private void CheckVertex(int v)
    {
        if (!ContainsVertex(v)) throw new VertexNotFoundException($"vertex {v} is outside 0..{VertexCount - 1}.");
    }
}
