using Recsys.Eval.NodeClassification;
using Recsys.Tests.Infrastructure;

namespace Recsys.Tests.Embeddings;

public class NodeClassificationTests
{
    /// <summary>n nodes, L labels; node i has label i % L and, when even, also label (i/2) % L; features encode the labels plus noise.</summary>
    private static (float[] X, string[] Ids, NodeLabels Labels) Synthetic(int n, int labels, int dim, float noise, int seed)
    {
        var rng = new Random(seed);
        var x = new float[n * dim];
        var ids = new string[n];
        var lab = new int[n][];
        for (int i = 0; i < n; i++)
        {
            ids[i] = (i + 1).ToString();
            var set = new SortedSet<int> { i % labels };
            if (i % 2 == 0) set.Add((i / 2) % labels);
            lab[i] = set.ToArray();
            foreach (var l in lab[i]) x[i * dim + l] = 3f;
            for (int c = 0; c < dim; c++) x[i * dim + c] += noise * (float)(rng.NextDouble() * 2 - 1);
        }
        var nodes = ids.ToArray();
        return (x, ids, new NodeLabels(nodes, lab, Enumerable.Range(0, labels).Select(l => l.ToString()).ToArray()));
    }

    [Fact]
    public void SeparableLabelsScorePerfectly()
    {
        var (x, ids, labels) = Synthetic(400, 5, 8, noise: 0.3f, seed: 1);
        var r = NodeClassificationEvaluator.Evaluate(x, 8, ids, labels, new NodeClassificationOptions { TrainRatio = 0.5, Repeats = 2, C = 10 });
        Assert.Equal(1.0, r.MicroMean, 6);
        Assert.Equal(1.0, r.MacroMean, 6);
        Assert.Equal(200, r.TrainNodes);
    }

    [Fact]
    public void NoiseOnlyFeaturesScoreNearChance()
    {
        var (x, ids, labels) = Synthetic(600, 6, 8, noise: 0.3f, seed: 2);
        var rng = new Random(3);
        for (int i = 0; i < x.Length; i++) x[i] = (float)rng.NextDouble();
        var r = NodeClassificationEvaluator.Evaluate(x, 8, ids, labels, new NodeClassificationOptions { TrainRatio = 0.5, Repeats = 3 });
        Assert.InRange(r.MicroMean, 0.0, 0.4);
        Assert.Equal(3, r.MicroF1.Length);
    }

    [Fact]
    public void LabelsFileParsesHeaderAndMultipleLabels()
    {
        var path = Path.Combine(TestPaths.NewTempDir(), "labels.csv");
        File.WriteAllText(path, "node,label\n007,10\n7,2\n8,2\n");
        var l = NodeLabels.Read(path);
        Assert.Equal(["7", "8"], l.Nodes);
        Assert.Equal(["2", "10"], l.LabelNames);
        Assert.Equal([0, 1], l.Labels[0]);
        Assert.Equal([0], l.Labels[1]);
    }

    [Fact]
    public void MissingEmbeddingIsReported()
    {
        var (x, ids, labels) = Synthetic(50, 3, 4, 0.1f, 1);
        ids[0] = "999";
        Assert.Throws<Recsys.Data.DataFormatException>(() =>
            NodeClassificationEvaluator.Evaluate(x, 4, ids, labels, new NodeClassificationOptions()));
    }
}
