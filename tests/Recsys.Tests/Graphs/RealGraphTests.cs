using System.Diagnostics;
using QuikGraph;
using QuikGraph.Algorithms.ConnectedComponents;
using Recsys.Data;
using Recsys.Data.Import;
using Recsys.Graphs;
using Recsys.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Recsys.Tests.Graphs;

/// <summary>Graphs of the shared real datasets: counts against the published statistics, QuikGraph against union-find.</summary>
[Trait("Category", "Slow")]
public class RealGraphTests(ITestOutputHelper log)
{
    /// <summary>Number of connected components by union-find over an edge enumeration (direction ignored).</summary>
    private static int UnionFindComponents(int n, IEnumerable<(int, int)> edges)
    {
        var parent = Enumerable.Range(0, n).ToArray();
        int Find(int x) { while (parent[x] != x) x = parent[x] = parent[parent[x]]; return x; }
        int comps = n;
        foreach (var (a, b) in edges)
        {
            int ra = Find(a), rb = Find(b);
            if (ra != rb) { parent[ra] = rb; comps--; }
        }
        return comps;
    }

    [RequiresDatasetFact("gowalla/train.txt")]
    public void Gowalla_bipartite_graph()
    {
        var d = LightGcnImporter.Import(new LightGcnImportOptions
        {
            TrainFile = TestPaths.Dataset("gowalla/train.txt"), TestFile = TestPaths.Dataset("gowalla/test.txt"),
        });
        var r = InteractionMatrix.From(d.Train, d.NumUsers, d.NumItems);
        var sw = Stopwatch.StartNew();
        var g = BipartiteGraph.Build(r);
        double buildMs = sw.Elapsed.TotalMilliseconds;
        Assert.Equal(29_858 + 40_981, g.VertexCount);
        Assert.Equal(810_128, g.EdgeCount);

        sw.Restart();
        var cc = new ConnectedComponentsAlgorithm<int, SUndirectedEdge<int>>(g);
        cc.Compute();
        double ccMs = sw.Elapsed.TotalMilliseconds;
        Assert.Equal(UnionFindComponents(g.VertexCount, g.Edges.Select(e => (e.Source, e.Target))), cc.ComponentCount);
        sw.Restart();
        CsrTraversal.ConnectedComponents(g, out int arrayCount);
        double arrayMs = sw.Elapsed.TotalMilliseconds;
        Assert.Equal(cc.ComponentCount, arrayCount);

        sw.Restart();
        var adj = AdjacencyBuilder.SymmetricNormalized(r);
        double adjMs = sw.Elapsed.TotalMilliseconds;
        Assert.Equal(2 * 810_128, adj.NonZeros);
        log.WriteLine($"gowalla: BipartiteGraph.Build {buildMs:F0} ms, QuikGraph components {cc.ComponentCount} in {ccMs:F0} ms (CsrTraversal {arrayMs:F1} ms), D^-1/2 A D^-1/2 {adjMs:F0} ms");
    }

    [RequiresDatasetFact("lastfm-hetrec-kgcn/kgat/kg_final.txt")]
    public void LastFm_collaborative_knowledge_graph()
    {
        string F(string f) => TestPaths.Dataset("lastfm-hetrec-kgcn/kgat/" + f);
        var d = KgatImporter.Import(new KgatImportOptions { TrainFile = F("train.txt"), TestFile = F("test.txt"), KgFile = F("kg_final.txt") });
        var kg = d.Knowledge!;
        var sw = Stopwatch.StartNew();
        var g = KnowledgeGraph.Build(kg, addInverse: true);
        double kgMs = sw.Elapsed.TotalMilliseconds;
        var unique = new HashSet<(int, int, int)>();
        for (int k = 0; k < kg.Count; k++) unique.Add((kg.Heads[k], kg.Relations[k], kg.Tails[k]));
        Assert.Equal(2 * unique.Count, g.EdgeCount);

        var train = InteractionMatrix.From(d.Train, d.NumUsers, d.NumItems);
        sw.Restart();
        var ckg = CollaborativeKnowledgeGraph.Build(train, kg);
        double ckgMs = sw.Elapsed.TotalMilliseconds;
        Assert.Equal(kg.NumEntities + d.NumUsers, ckg.NumEntities);
        Assert.Equal(2 * (unique.Count + train.NonZeros), ckg.Graph.EdgeCount);

        var wcc = new WeaklyConnectedComponentsAlgorithm<int, STaggedEdge<int, int>>(ckg.Graph);
        wcc.Compute();
        var edges = Enumerable.Range(0, ckg.Graph.EdgeCount).Select(k => (ckg.Graph.Heads[k], ckg.Graph.Tails[k]));
        Assert.Equal(UnionFindComponents(ckg.NumEntities, edges), wcc.ComponentCount);
        log.WriteLine($"last-fm kgat: KG {g.EdgeCount} edges in {kgMs:F0} ms; CKG {ckg.NumEntities} entities, {ckg.Graph.EdgeCount} edges in {ckgMs:F0} ms; {wcc.ComponentCount} weak components");
    }
}
