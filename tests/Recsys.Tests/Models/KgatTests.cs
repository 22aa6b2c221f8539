using Recsys.Data;
using Recsys.Data.Synthetic;
using Recsys.Devices;
using Recsys.Graphs;
using Recsys.Models;
using Recsys.Tests.Infrastructure;
using Recsys.Tests.Training;
using Recsys.Training;
using static TorchSharp.torch;

namespace Recsys.Tests.Models;

public class KgatTests
{
    /// <summary>Items 0..7, entities 8 (genre A: items 0..3), 9 (genre B: items 4..7); relation 0 "genre".</summary>
    private static KnowledgeTriples TinyKg() => new([0, 1, 2, 3, 4, 5, 6, 7], [0, 0, 0, 0, 0, 0, 0, 0], [8, 8, 8, 8, 9, 9, 9, 9], 10, ["genre"]);

    private static float[] Rand(Generator g, params long[] shape)
    {
        using var t = rand(shape, generator: g) - 0.5;
        return t.data<float>().ToArray();
    }

    [Fact]
    public void AttentionMatchesHandComputationAndSumsToOnePerHead()
    {
        var graph = KnowledgeGraph.Build(TinyKg(), addInverse: true);  // 2 relations, 8 edges
        int n = graph.NumEntities, nr = graph.NumRelations, d = 3, k = 2;
        using var g = new Generator(5, CPU);
        var e = Rand(g, n, d); var r = Rand(g, nr, k); var w = Rand(g, nr, d, k);
        var att = new KgatAttention(graph);
        float[] values;
        using (var et = tensor(e, [n, d])) using (var rt = tensor(r, [nr, k])) using (var wt = tensor(w, [nr, d, k]))
            values = att.Compute(et, rt, wt);

        // Hand computation: π = Σ_j (e_t W_r)_j · tanh((e_h W_r)_j + r_j), softmax over the edges leaving each head.
        double Proj(int node, int rel, int j) { double s = 0; for (int i = 0; i < d; i++) s += e[node * d + i] * w[(rel * d + i) * k + j]; return s; }
        var raw = new double[graph.EdgeCount];
        for (int x = 0; x < graph.EdgeCount; x++)
        {
            int h = graph.Heads[x], t = graph.Tails[x], rel = graph.Relations[x];
            for (int j = 0; j < k; j++) raw[x] += Proj(t, rel, j) * Math.Tanh(Proj(h, rel, j) + r[rel * k + j]);
        }
        for (int h = 0; h < n; h++)
        {
            int lo = graph.RowPtr[h], hi = graph.RowPtr[h + 1];
            double z = 0;
            for (int x = lo; x < hi; x++) z += Math.Exp(raw[x]);
            double sum = 0;
            for (int x = lo; x < hi; x++)
            {
                Assert.Equal(Math.Exp(raw[x]) / z, values[x], 5);
                sum += values[x];
            }
            Assert.Equal(1.0, sum, 5);
        }
        Assert.Equal(8, graph.OutDegreeOf(8) + graph.OutDegreeOf(9));  // genre heads see their items through the inverse relation
    }

    [Fact]
    public void ModelAttentionStartsUniformAndSumsToOneAfterRefresh()
    {
        var (train, _) = TinyData.Communities(users: 8, items: 8, perUser: 2, testPerUser: 1);
        using var model = (Kgat)new KgatOptions { Dim = 8, RelationDim = 4, LayerDims = [8, 4] }.Create(train, TinyKg(), 3);
        var g = model.Graph.Graph;
        var before = model.AttentionValues();
        model.RefreshAttention();
        var after = model.AttentionValues();
        for (int h = 0; h < g.NumEntities; h++)
        {
            int lo = g.RowPtr[h], hi = g.RowPtr[h + 1];
            if (hi == lo) continue;
            Assert.All(before[lo..hi], v => Assert.Equal(1f / (hi - lo), v, 6));
            Assert.Equal(1.0, after[lo..hi].Sum(v => (double)v), 5);
            Assert.All(after[lo..hi], v => Assert.True(v > 0));
        }
        Assert.NotEqual(before, after);
        Assert.Contains("attention", model.Module.state_dict().Keys); // saved with checkpoints and model.bin
    }

    [Fact]
    public void TransRLossMatchesHandComputation()
    {
        // d = k = 2, one triple. W = [[1, 2], [0, 1]] (row-vector convention: eW).
        // e_h = (1, 0) → e_h W = (1, 2); e_r = (0.5, -1); e_t+ = (1, 1) → (1, 3); e_t- = (0, 2) → (0, 2).
        // g+ = ‖(1, 2) + (0.5, -1) − (1, 3)‖² = ‖(0.5, −2)‖² = 4.25;  g− = ‖(1.5, 1) − (0, 2)‖² = ‖(1.5, −1)‖² = 3.25.
        // BPR: softplus(4.25 − 3.25) = ln(1 + e). L2: ½(5 + 1.25 + 10 + 4) = 10.125.
        using var h = tensor(new float[] { 1, 0 }, [1, 2]);
        using var r = tensor(new float[] { 0.5f, -1 }, [1, 2]);
        using var tp = tensor(new float[] { 1, 1 }, [1, 2]);
        using var tn = tensor(new float[] { 0, 2 }, [1, 2]);
        using var w = tensor(new float[] { 1, 2, 0, 1 }, [1, 2, 2]);
        using var plain = TransRLoss.Compute(h, r, tp, tn, w, 0);
        using var withL2 = TransRLoss.Compute(h, r, tp, tn, w, 0.1);
        double bpr = Math.Log(1 + Math.E);
        Assert.Equal(bpr, plain.item<float>(), 6);
        Assert.Equal(bpr + 0.1 * 10.125, withL2.item<float>(), 5);
    }

    [Fact]
    public void GroupedTransRMatchesPerTripleProjectionWithGradients()
    {
        // 7 triples over 3 relations, ordered by relation as the sampler delivers them.
        int[] rel = [0, 0, 1, 1, 1, 2, 2];
        using var g = new Generator(7, CPU);
        using var eh = randn([7, 4], generator: g); using var ep = randn([7, 4], generator: g); using var en = randn([7, 4], generator: g);
        using var re = randn([3, 3], generator: g); using var w0 = randn([3, 4, 3], generator: g);
        using var rid = tensor(rel.Select(x => (long)x).ToArray());
        (float Loss, float[] GradW, float[] GradH) Run(bool grouped)
        {
            using var scope = NewDisposeScope();
            var w = w0.clone().requires_grad_(true); var h = eh.clone().requires_grad_(true);
            var loss = grouped
                ? TransRLoss.ComputeGrouped(h, re.index_select(0, rid), ep, en, w, RelationRun.Of(rel, 0, rel.Length), 0.1)
                : TransRLoss.Compute(h, re.index_select(0, rid), ep, en, w.index_select(0, rid), 0.1);
            loss.backward();
            return (loss.item<float>(), w.grad!.data<float>().ToArray(), h.grad!.data<float>().ToArray());
        }
        var a = Run(grouped: false);
        var b = Run(grouped: true);
        Assert.Equal(a.Loss, b.Loss, 5);
        for (int i = 0; i < a.GradW.Length; i++) Assert.Equal(a.GradW[i], b.GradW[i], 5);
        for (int i = 0; i < a.GradH.Length; i++) Assert.Equal(a.GradH[i], b.GradH[i], 5);
        Assert.Equal([new RelationRun(0, 0, 2), new RelationRun(1, 2, 3), new RelationRun(2, 5, 2)], RelationRun.Of(rel, 0, rel.Length));
    }

    [Fact]
    public void TransRSamplerDrawsTrueEdgesAndCorruptedTails()
    {
        var (train, _) = TinyData.Communities(users: 8, items: 8, perUser: 2, testPerUser: 1);
        var ckg = CollaborativeKnowledgeGraph.Build(train, TinyKg());
        var sampler = new TransRSampler(ckg.Graph, 16);
        var rng = new Xoshiro256(1);
        var (h, r, tp, tn) = sampler.Sample(ref rng);
        Assert.Equal(sampler.Batches * 16, h.Length);
        for (int i = 0; i < h.Length; i++)
        {
            Assert.True(sampler.HasEdge(h[i], r[i], tp[i]));
            Assert.False(sampler.HasEdge(h[i], r[i], tn[i]));
            if (i % 16 != 0) Assert.True(r[i - 1] <= r[i], "each batch is ordered by relation");
        }
    }

    [Fact]
    public void WithoutKnowledgeGraphCreateFailsClearly()
    {
        var (train, _) = TinyData.Communities();
        var e = Assert.Throws<InvalidDataException>(() => new KgatOptions().Create(train, 1));
        Assert.Contains("knowledge graph", e.Message);
    }

    [Fact]
    public void ResumeAfterCancelMatchesUninterruptedRun()
    {
        var data = SyntheticGenerator.Generate(new SyntheticOptions { Users = 60, Items = 50, WithKnowledgeGraph = true, ValidRatio = 0 });
        var train = InteractionMatrix.From(data.Train, data.NumUsers, data.NumItems);
        var mo = new KgatOptions { Dim = 8, RelationDim = 8, LayerDims = [8, 4], KgBatchSize = 256 };
        var o = new TrainerOptions { Epochs = 3, BatchSize = 128, LearningRate = 0.01, EvalEvery = 0, Seed = 4, Device = DeviceChoice.Cpu };
        var straight = Tc.Trainer().Train(data, mo, o, TestPaths.NewTempDir());
        var again = Tc.Trainer().Train(data, mo, o, TestPaths.NewTempDir());
        Assert.Equal(straight.Embeddings!.Items, again.Embeddings!.Items);
        var dir = TestPaths.NewTempDir();
        using var cts = new CancellationTokenSource();
        var progress = new SyncProgress<TrainingProgress>(p => { if (p.Epoch == 2 && p.Batch >= 1) cts.Cancel(); });
        var first = Tc.Trainer(null, progress).Train(data, mo, o, dir, cts.Token);
        Assert.True(first.Cancelled);
        var resumed = Tc.Trainer().Resume(data, dir);
        Assert.Equal(straight.Record.Epochs.Select(e => e.Loss), resumed.Record.Epochs.Select(e => e.Loss));
        Assert.Equal(straight.Embeddings!.Items, resumed.Embeddings!.Items);
    }

    /// <summary>
    /// 30% of test interactions are on items never seen in training but linked by the KG to their community's genre
    /// and artist entities. MF and LightGCN have nothing to place those cold items with; KGAT reaches them through
    /// TransR and attentive propagation. Asserted on the cold-item slice (recall@20 over each user's cold test items).
    /// </summary>
    [Fact]
    public void BeatsMfAndLightGcnOnTestItemsReachableOnlyThroughTheKg()
    {
        var data = SyntheticGenerator.Generate(new SyntheticOptions
        {
            Users = 300, Items = 240, Communities = 6, WithKnowledgeGraph = true, KgOnlyFraction = 0.3, ValidRatio = 0, Seed = 7,
        });
        var train = InteractionMatrix.From(data.Train, data.NumUsers, data.NumItems);
        var test = InteractionMatrix.From(data.Test, data.NumUsers, data.NumItems);
        var deg = train.ItemDegrees();
        var cold = data.Test.Items.Select((it, k) => (it, k)).Where(x => deg[x.it] == 0).Select(x => x.k).ToArray();
        var coldTest = InteractionMatrix.From(cold.Select(k => data.Test.Users[k]).ToArray(), cold.Select(k => data.Test.Items[k]).ToArray(), data.NumUsers, data.NumItems);
        Assert.True(coldTest.NonZeros > 200);
        var fast = new TrainerOptions { BatchSize = 512, LearningRate = 0.01, Reg = 1e-4, EvalEvery = 0, Seed = 5, Device = DeviceChoice.Cpu };
        (double All, double Cold) Recall(ModelOptions mo, int epochs)
        {
            var r = Tc.Trainer().Train(data, mo, fast with { Epochs = epochs }, TestPaths.NewTempDir());
            var e = r.Embeddings!;
            void Score(int u, float[] buf)
            {
                for (int i = 0; i < buf.Length; i++)
                {
                    float s = 0;
                    for (int d = 0; d < e.Dim; d++) s += e.Users[u * e.Dim + d] * e.Items[i * e.Dim + d];
                    buf[i] = s;
                }
            }
            return (BruteForceRecallScorer.Recall(train, test, 20, Score), BruteForceRecallScorer.Recall(train, coldTest, 20, Score));
        }
        var mf = Recall(new MfOptions { Dim = 32 }, 20);
        var lightGcn = Recall(new LightGcnOptions { Dim = 32, Layers = 2 }, 20);
        var kgat = Recall(new KgatOptions { Dim = 32, RelationDim = 32, LayerDims = [32, 16], KgBatchSize = 1024 }, 2);
        var msg = $"recall@20 all / cold: kgat {kgat.All:F3} / {kgat.Cold:F3}, mf {mf.All:F3} / {mf.Cold:F3}, lightgcn {lightGcn.All:F3} / {lightGcn.Cold:F3}";
        // Measured (seeded): kgat 0.669 / 0.152, mf 0.632 / 0.002, lightgcn 0.642 / 0.000 — the clear margin is on the cold slice;
        // over all test items KGAT is ahead by ~0.03 only, so that is asserted without a margin.
        Assert.True(kgat.Cold > Math.Max(mf.Cold, lightGcn.Cold) + 0.1, msg);
        Assert.True(kgat.All > Math.Max(mf.All, lightGcn.All), msg);
    }

    [Fact]
    public void ColdItemRowsAreThePathWeightedMeanOfKgNeighbouringWarmItems()
    {
        // Items 0..3, entities 4 (A: items 0, 1, 2, 3) and 5 (B: items 0, 3); item 3 has no training interaction.
        // Walk from 3: A or B with 1/2 each; A → 0, 1, 2 with 1/3 each, B → 0: item 0 gets 1/6 + 1/2 = 2/3, items 1 and 2 1/6.
        var kg = new KnowledgeTriples([0, 1, 2, 3, 0, 3], [0, 0, 0, 0, 0, 0], [4, 4, 4, 4, 5, 5], 6, ["tag"]);
        var train = InteractionMatrix.From([0, 0, 1], [0, 1, 2], 2, 4);
        var ckg = CollaborativeKnowledgeGraph.Build(train, kg);
        using var n = ColdItemNeighbours.Build(train, ckg)!;
        Assert.Equal(1, n.Count);
        using var items = eye(4);
        using var rows = n.Apply(items);
        var row3 = rows[3].data<float>().ToArray();
        Assert.Equal(new[] { 2 / 3f, 1 / 6f, 1 / 6f, 0f }, row3, (a, b) => Math.Abs(a - b) < 1e-6);
        for (int i = 0; i < 3; i++) Assert.Equal(items[i].data<float>().ToArray(), rows[i].data<float>().ToArray());
        Assert.Null(ColdItemNeighbours.Build(InteractionMatrix.From([0, 0, 1, 1], [0, 1, 2, 3], 2, 4), ckg)); // nothing cold
    }

    [Fact]
    public void KgItemRowsPlaceColdItemsBetterThanTheirOwnRows()
    {
        var data = SyntheticGenerator.Generate(new SyntheticOptions
        {
            Users = 300, Items = 240, Communities = 6, WithKnowledgeGraph = true, KgOnlyFraction = 0.3, ValidRatio = 0, Seed = 7,
        });
        var train = InteractionMatrix.From(data.Train, data.NumUsers, data.NumItems);
        var deg = train.ItemDegrees();
        var cold = data.Test.Items.Select((it, k) => (it, k)).Where(x => deg[x.it] == 0).Select(x => x.k).ToArray();
        var coldTest = InteractionMatrix.From(cold.Select(k => data.Test.Users[k]).ToArray(), cold.Select(k => data.Test.Items[k]).ToArray(), data.NumUsers, data.NumItems);
        var fast = new TrainerOptions { BatchSize = 512, LearningRate = 0.01, Reg = 1e-4, EvalEvery = 0, Seed = 5, Device = DeviceChoice.Cpu, Epochs = 2 };
        double ColdRecall(KgatColdItems mode)
        {
            var o = new KgatOptions { Dim = 32, RelationDim = 32, LayerDims = [32, 16], KgBatchSize = 1024, ColdItems = mode };
            var e = Tc.Trainer().Train(data, o, fast, TestPaths.NewTempDir()).Embeddings!;
            return BruteForceRecallScorer.Recall(train, coldTest, 20, (u, buf) =>
            {
                for (int i = 0; i < buf.Length; i++)
                {
                    float s = 0;
                    for (int d = 0; d < e.Dim; d++) s += e.Users[u * e.Dim + d] * e.Items[i * e.Dim + d];
                    buf[i] = s;
                }
            });
        }
        double own = ColdRecall(KgatColdItems.Own), kgItems = ColdRecall(KgatColdItems.KgItems);
        // Measured (seeded): kg-items 0.480, own 0.152.
        Assert.True(kgItems > own + 0.1, $"cold recall@20: kg-items {kgItems:F3}, own {own:F3}");
    }
}
