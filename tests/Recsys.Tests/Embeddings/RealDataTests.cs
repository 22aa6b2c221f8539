using Recsys.Data;
using Recsys.Embeddings;
using Recsys.Embeddings.FastRp;
using Recsys.Embeddings.GraphHash;
using Recsys.Eval.NodeClassification;
using Recsys.Graphs;
using Recsys.Tests.Infrastructure;

namespace Recsys.Tests.Embeddings;

[Trait("Category", "Slow")]
public class RealDataTests
{
    [RequiresDatasetFact("blogcatalog/edges.csv")]
    public void FastRpOnBlogCatalogReachesPaperQuality()
    {
        var g = EdgeListGraph.Read(TestPaths.Dataset("blogcatalog/edges.csv"));
        Assert.Equal(10312, g.NodeCount);
        Assert.Equal(667966, g.Adjacency.NonZeros);
        var e = FastRpEmbedder.Embed(g.Adjacency, new FastRpOptions());
        var labels = NodeLabels.Read(TestPaths.Dataset("blogcatalog/group-edges.csv"));
        var ids = Enumerable.Range(0, g.NodeCount).Select(g.IdText).ToArray();
        var r = NodeClassificationEvaluator.Evaluate(e, 512, ids, labels, new NodeClassificationOptions { Repeats = 2 });
        Assert.True(r.MacroMean >= 0.21, $"Macro-F1 {r.MacroMean}");
        Assert.True(r.MicroMean >= 0.35, $"Micro-F1 {r.MicroMean}");
    }

    [RequiresDatasetFact("gowalla/train.txt")]
    public void LouvainOnGowallaReachesIgraphModularity()
    {
        var us = new List<int>(); var its = new List<int>();
        foreach (var line in File.ReadLines(TestPaths.Dataset("gowalla/train.txt")))
        {
            var p = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            for (int k = 1; k < p.Length; k++) { us.Add(int.Parse(p[0])); its.Add(int.Parse(p[k])); }
        }
        var r = InteractionMatrix.From(us.ToArray(), its.ToArray(), us.Max() + 1, its.Max() + 1);
        var result = Louvain.Cluster(UserItemAdjacency.Binary(r), new LouvainOptions { Seed = 0 });
        Assert.True(result.Modularity >= 0.69, $"modularity {result.Modularity}");
    }
}
