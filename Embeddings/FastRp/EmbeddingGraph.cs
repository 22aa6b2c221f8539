using Recsys.Data;
using Recsys.Graphs;

namespace Recsys.Embeddings.FastRp;

/// <summary>
/// A graph to embed node by node: its adjacency, the id written for each node, and raw ids when the source had
/// non-integer ones. Built from a dataset (the user-item graph: users 0..U-1 then items; or the collaborative knowledge
/// graph) or from an edge-list file.
/// </summary>
public sealed record EmbeddingGraph(CsrMatrix Adjacency, int[] Ids, string[]? RawIds)
{
    /// <summary>
    /// The binary user-item graph of <paramref name="data"/>'s training split, or with <paramref name="knowledgeGraph"/>
    /// its collaborative knowledge graph (interactions + KG triples, with inverses); node ids are row numbers.
    /// </summary>
    public static EmbeddingGraph Of(Dataset data, bool knowledgeGraph)
    {
        var train = data.TrainMatrix();
        var adjacency = !knowledgeGraph ? UserItemAdjacency.Binary(train)
            : CollaborativeKnowledgeGraph.Build(train, data.Knowledge ?? throw new ArgumentException(
                $"dataset '{data.Name}' has no knowledge graph to embed (import a dataset with its knowledge graph)."), addInverse: true).Graph.Adjacency();
        return new EmbeddingGraph(adjacency, Enumerable.Range(0, adjacency.Rows).ToArray(), null);
    }

    /// <summary>The graph of an edge-list file; its own ids when they are int32, else row numbers with the raw ids kept.</summary>
    public static EmbeddingGraph Read(string edgeFile)
    {
        var g = EdgeListGraph.Read(edgeFile);
        if (g.IntIds is { } li && li.All(x => x is >= int.MinValue and <= int.MaxValue))
            return new EmbeddingGraph(g.Adjacency, li.Select(x => (int)x).ToArray(), null);
        return new EmbeddingGraph(g.Adjacency, Enumerable.Range(0, g.NodeCount).ToArray(), Enumerable.Range(0, g.NodeCount).Select(g.IdText).ToArray());
    }
}
