using Recsys.Devices;
using Recsys.Tests.Infrastructure;
using Recsys.Data;
using Recsys.Models;
using Recsys.Models.Propagation;
using Recsys.Tests.Training;
using Recsys.Training;
using static TorchSharp.torch;

namespace Recsys.Tests.Models;

public class ModelTests
{
    private static readonly (InteractionMatrix Train, InteractionMatrix Test) Data = TinyData.Communities();

    public static TheoryData<string> Kinds => new() { "mf", "lightgcn", "ngcf" };

    private static ModelOptions Small(string kind) => Tc.Model(kind) switch
    {
        NgcfOptions n => n with { Dim = 16, LayerDims = [16, 16] },
        LightGcnOptions l => l with { Dim = 16, Layers = 2 },
        var m => m with { Dim = 16 },
    };

    private static TrainerOptions Fast(string kind) => new()
    {
        Epochs = kind == "ngcf" ? 40 : 30, BatchSize = 32, LearningRate = kind == "ngcf" ? 0.01 : 0.05, Reg = 1e-4,
        EvalEvery = 0, Seed = 11, Device = DeviceChoice.Cpu,
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void BeatsPopularityOnTwoCommunities(string kind)
    {
        var (train, test) = Data;
        var dir = TestPaths.NewTempDir();
        var result = Tc.Trainer().Train(train, "communities", Small(kind), Fast(kind), dir);
        var emb = result.Embeddings!;
        double model = BruteForceRecallScorer.Recall(train, test, 5, (u, buf) =>
        {
            for (int i = 0; i < buf.Length; i++)
            {
                float s = 0;
                for (int d = 0; d < emb.Dim; d++) s += emb.Users[u * emb.Dim + d] * emb.Items[i * emb.Dim + d];
                buf[i] = s;
            }
        });
        var deg = train.ItemDegrees();
        double pop = BruteForceRecallScorer.Recall(train, test, 5, (u, buf) => { for (int i = 0; i < buf.Length; i++) buf[i] = deg[i]; });
        Assert.True(model > pop + 0.15, $"{kind}: recall@5 {model:F3} vs popularity {pop:F3}");
        Assert.True(result.Record.Epochs[^1].Loss < result.Record.Epochs[0].Loss, "loss did not decrease");
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void SaveLoadGivesSameScores(string kind)
    {
        var (train, _) = Data;
        var dir = TestPaths.NewTempDir();
        var o = Fast(kind) with { Epochs = 2 };
        var result = Tc.Trainer().Train(train, "communities", Small(kind), o, dir);
        var run = new RunFolder(dir);
        using var fresh = run.ReadRecord(Tc.Catalog).Model.Create(train, seed: 999); // different init: the loaded state must overwrite it
        run.LoadModel(fresh.Module);
        var again = fresh.Snapshot().Embeddings;
        Assert.Equal(result.Embeddings!.Users, again.Users);
        Assert.Equal(result.Embeddings!.Items, again.Items);
        var fromFile = Recsys.IO.EmbeddingFile.Read(run.ItemEmbeddingsFile, out int rows, out int dim);
        Assert.Equal(train.NumItems, rows);
        Assert.Equal(again.Items, fromFile);
        Assert.Equal(dim, again.Dim);
    }

    [Fact]
    public void NgcfCsrAndTorchBackendsAgree()
    {
        var (train, _) = Data;
        var losses = new List<float>();
        var grads = new List<float[]>();
        foreach (var backend in new[] { PropagationBackend.Csr, PropagationBackend.Torch })
        {
            using var m = new NgcfOptions { Dim = 8, LayerDims = [8, 8], Propagation = backend }.Create(train, 5);
            m.Module.train(false); // no dropout: both paths see the same Â
            using var scope = NewDisposeScope();
            var batch = new BprBatch([0, 1, 25], [2, 3, 20], [20, 21, 4], CPU);
            var loss = m.Loss(batch, 1e-3);
            loss.backward();
            losses.Add(loss.item<float>());
            grads.Add(m.Module.parameters().SelectMany(p => p.grad!.data<float>().ToArray()).ToArray());
        }
        Assert.Equal(losses[0], losses[1], 5);
        for (int i = 0; i < grads[0].Length; i++) Assert.Equal(grads[1][i], grads[0][i], 1e-4);
    }

    [Theory]
    [InlineData(PropagationBackend.Csr)]
    [InlineData(PropagationBackend.Torch)]
    public void NgcfBatchRowsLossEqualsLossOnFullPropagation(PropagationBackend backend)
    {
        // Without dropout the step's batch-rows propagation (last layer and normalised copies at the batch's nodes
        // only) must give the BPR loss computed from every node's final embedding, with repeated nodes in the batch.
        var (train, _) = Data;
        using var m = new NgcfOptions { Dim = 8, LayerDims = [8, 6, 4], Propagation = backend }.Create(train, 5);
        m.Module.train(false);
        using var scope = NewDisposeScope();
        int[] us = [0, 1, 25, 0], ps = [2, 3, 20, 2], ns = [20, 21, 4, 3];
        float loss = m.Loss(new BprBatch(us, ps, ns, CPU), 0).item<float>();
        var e = m.Snapshot().Embeddings;
        double expected = 0;
        for (int b = 0; b < us.Length; b++)
        {
            double sp = 0, sn = 0;
            for (int d = 0; d < e.Dim; d++)
            {
                sp += e.Users[us[b] * e.Dim + d] * e.Items[ps[b] * e.Dim + d];
                sn += e.Users[us[b] * e.Dim + d] * e.Items[ns[b] * e.Dim + d];
            }
            expected += Math.Log(1 + Math.Exp(sn - sp)) / us.Length;
        }
        Assert.Equal(expected, loss, 5);
    }

    [Theory]
    [InlineData(NgcfVariant.Paper)]
    [InlineData(NgcfVariant.Code)]
    [InlineData(NgcfVariant.TensorFlow)]
    public void NgcfFusedGradientsMatchFiniteDifferences(NgcfVariant variant)
    {
        // The CPU training step's one-node propagation (hand-written backward) against central differences of the
        // loss, which the forward-only path computes: embedding entries of a batch user, a batch item and a node that
        // reaches the batch only through the graph, and weights and biases of both layers.
        var (train, _) = Data;
        using var m = new NgcfOptions { Dim = 16, LayerDims = [16, 32], Variant = variant, Propagation = PropagationBackend.Csr }.Create(train, 7);
        m.Module.train(false);
        var batch = new BprBatch([0, 1, 25, 0], [2, 3, 20, 3], [20, 21, 4, 2], CPU);
        var ps = m.Module.named_parameters().ToDictionary(x => x.name, x => x.parameter);
        using (no_grad())
        {
            // Xavier rows over a few dozen nodes are ≈ 0.1; at that size the bi-term's share of a gradient (scaled by
            // the embeddings) would hide inside the tolerance.
            ps["user_table.weight"].mul_(10);
            ps["item_table.weight"].mul_(10);
        }
        using (var scope = NewDisposeScope()) m.Loss(batch, 1e-3).backward();
        (string Name, long Index)[] probes =
        [
            ("user_table.weight", 0 * 16 + 3), ("item_table.weight", 20 * 16 + 5), ("user_table.weight", 7 * 16 + 1),
            ("w1.0.weight", 17), ("w2.0.weight", 200), ("w1.1.weight", 300), ("w2.1.bias", 9), ("w1.0.bias", 4),
        ];
        foreach (var (name, index) in probes)
        {
            var p = ps[name];
            float analytic = p.grad!.view(-1)[index].item<float>();
            double Loss(float delta)
            {
                using var _ = no_grad();
                using var scope = NewDisposeScope();
                var flat = p.view(-1);
                float old = flat[index].item<float>();
                flat[index] = old + delta;
                double l = m.Loss(batch, 1e-3).item<float>();
                flat[index] = old;
                return l;
            }
            // float32 losses: a step below ≈ 3e-3 drowns in rounding. A LeakyReLU kink inside ±h bends the central
            // difference (the TensorFlow layer has two per output); the smaller step then decides.
            double Central(float h) => (Loss(h) - Loss(-h)) / (2 * h);
            bool Close(double numeric) => Math.Abs(numeric - analytic) <= 2e-4 + 0.01 * Math.Abs(numeric);
            double wide = Central(1e-2f), narrow = Central(3e-3f);
            Assert.True(Close(wide) || Close(narrow),
                $"{name}[{index}]: backward {analytic:G6}, finite differences {wide:G6} (h = 1e-2), {narrow:G6} (h = 3e-3)");
        }
    }

    [Fact]
    public void NgcfTwoLossesBeforeOneBackwardKeepTheirOwnBuffers()
    {
        // The CPU propagation reuses its N × d buffers from step to step; a second forward while the first graph
        // still awaits its backward must get buffers of its own. Backward of the sum = the two backwards in turn
        // (same dropout draws: backward draws nothing).
        var (train, _) = Data;
        var grads = new List<float[]>();
        foreach (bool together in new[] { true, false })
        {
            using var m = new NgcfOptions { Dim = 16, LayerDims = [32, 16, 16], NodeDropout = 0.2, MessageDropout = 0.1, Propagation = PropagationBackend.Csr }.Create(train, 5);
            m.Module.train(true);
            using var scope = NewDisposeScope();
            var b1 = new BprBatch([0, 1, 25], [2, 3, 20], [20, 21, 4], CPU);
            var b2 = new BprBatch([3, 7], [5, 6], [1, 22], CPU);
            if (together) (m.Loss(b1, 1e-3) + m.Loss(b2, 1e-3)).backward();
            else { m.Loss(b1, 1e-3).backward(); m.Loss(b2, 1e-3).backward(); }
            grads.Add(m.Module.parameters().SelectMany(p => p.grad!.data<float>().ToArray()).ToArray());
        }
        Assert.Contains(grads[0], v => v != 0);
        for (int i = 0; i < grads[0].Length; i++) Assert.Equal(grads[1][i], grads[0][i], 1e-5);
    }

    [Fact]
    public void NgcfBackendsDropTheSameEdgesAndMessages()
    {
        // Dropout draws from the model's CPU generator on both paths, so with the same seed the CSR kernels and
        // libtorch's sparse mm see the same dropped Â and message masks: the training losses must agree.
        var (train, _) = Data;
        var losses = new List<float>();
        foreach (var backend in new[] { PropagationBackend.Csr, PropagationBackend.Torch })
        {
            using var m = new NgcfOptions { Dim = 16, LayerDims = [80, 16], NodeDropout = 0.3, MessageDropout = 0.2, Propagation = backend }.Create(train, 5);
            m.Module.train(true);
            using var scope = NewDisposeScope();
            var batch = new BprBatch([0, 1, 25], [2, 3, 20], [20, 21, 4], CPU);
            losses.Add(m.Loss(batch, 1e-3).item<float>());
            losses.Add(m.Loss(batch, 1e-3).item<float>()); // second step: fresh masks, still equal
        }
        Assert.NotEqual(losses[0], losses[1], 6);
        Assert.Equal(losses[0], losses[2], 5);
        Assert.Equal(losses[1], losses[3], 5);
    }

    [Theory]
    [InlineData(NgcfVariant.Code, PropagationBackend.Csr)]
    [InlineData(NgcfVariant.Code, PropagationBackend.Torch)]
    [InlineData(NgcfVariant.TensorFlow, PropagationBackend.Csr)]
    [InlineData(NgcfVariant.TensorFlow, PropagationBackend.Torch)]
    public void NgcfCodeVariantsMatchHandComputedLayer(NgcfVariant variant, PropagationBackend backend)
    {
        // Two users, two items: u0–i0, u1–i0, u1–i1. The authors' code: Â = D^-1 (A + I) with the self-loop in the
        // degree, S = Â E, E' = LeakyReLU(S W1ᵀ + b1 + (E ⊙ S) W2ᵀ + b2) (TensorFlow: LeakyReLU(S W1ᵀ + b1) +
        // LeakyReLU((E ⊙ S) W2ᵀ + b2)), final = [E | E' / ‖E'‖].
        var train = InteractionMatrix.From([0, 1, 1], [0, 0, 1], 2, 2);
        using var m = new NgcfOptions { Dim = 16, LayerDims = [16], Variant = variant, Propagation = backend }.Create(train, 3);
        var p = m.Module.named_parameters().ToDictionary(x => x.name, x => x.parameter.data<float>().ToArray());
        var e = p["user_table.weight"].Concat(p["item_table.weight"]).ToArray();
        // Rows of Â (nodes u0, u1, i0, i1): u0 {u0, i0} / 2; u1 {u1, i0, i1} / 3; i0 {u0, u1, i0} / 3; i1 {u1, i1} / 2.
        int[][] nb = [[0, 2], [1, 2, 3], [0, 1, 2], [1, 3]];
        Assert.NotEqual(0f, p["w1.0.bias"].Select(Math.Abs).Max()); // Glorot-initialised, as the code does
        var expected = new float[4][];
        for (int v = 0; v < 4; v++)
        {
            var sv = new double[16];
            foreach (var j in nb[v]) for (int c = 0; c < 16; c++) sv[c] += e[j * 16 + c] / nb[v].Length;
            var h = new double[16];
            static double Leaky(double x) => x > 0 ? x : 0.2 * x;
            for (int o = 0; o < 16; o++)
            {
                double x1 = p["w1.0.bias"][o], x2 = p["w2.0.bias"][o];
                for (int c = 0; c < 16; c++)
                {
                    x1 += p["w1.0.weight"][o * 16 + c] * sv[c];
                    x2 += p["w2.0.weight"][o * 16 + c] * e[v * 16 + c] * sv[c];
                }
                h[o] = variant == NgcfVariant.TensorFlow ? Leaky(x1) + Leaky(x2) : Leaky(x1 + x2);
            }
            double norm = Math.Sqrt(h.Sum(x => x * x));
            expected[v] = e.Skip(v * 16).Take(16).Concat(h.Select(x => (float)(x / norm))).ToArray();
        }
        m.Module.train(false);
        var emb = m.Snapshot().Embeddings;
        var actual = emb.Users.Concat(emb.Items).ToArray();
        for (int v = 0; v < 4; v++)
            for (int c = 0; c < 32; c++) Assert.Equal(expected[v][c], actual[v * 32 + c], 5);
    }

    [Theory]
    [InlineData(NgcfVariant.Paper, new[] { 80, 16 })]
    [InlineData(NgcfVariant.Code, new[] { 80, 16 })]
    [InlineData(NgcfVariant.Paper, new[] { 32, 16, 48 })]
    [InlineData(NgcfVariant.Code, new[] { 16 })]
    [InlineData(NgcfVariant.TensorFlow, new[] { 80, 16 })]
    [InlineData(NgcfVariant.TensorFlow, new[] { 32, 16, 48 })]
    public void NgcfBackendsGiveTheSameGradientsWithDropout(NgcfVariant variant, int[] layerDims)
    {
        // On CPU a training step's whole propagation is one C# autograd node (NgcfPropagationFunction): each layer's
        // message terms and weights in tiles of rows (register-blocked products), LeakyReLU and message dropout as one
        // factor, the last layer at the batch's rows only, and a backward that writes each layer-input gradient once;
        // libtorch's path runs its own ops. Same masks, so every parameter's gradient must agree. Widths 16 → 80 → 16
        // take both kernel column blocks (64 and 16) and partial row tiles; three layers take two full ones; one layer
        // only the rows layer; the batch repeats a user and an item.
        var (train, _) = Data;
        var grads = new List<float[][]>();
        foreach (var backend in new[] { PropagationBackend.Csr, PropagationBackend.Torch })
        {
            using var m = new NgcfOptions { Dim = 16, LayerDims = layerDims, NodeDropout = 0.3, MessageDropout = 0.2, Propagation = backend, Variant = variant }.Create(train, 5);
            m.Module.train(true);
            using var scope = NewDisposeScope();
            var batch = new BprBatch([0, 1, 25, 0], [2, 3, 20, 3], [20, 21, 4, 2], CPU);
            m.Loss(batch, 1e-3).backward();
            grads.Add(m.Module.parameters().Select(p => p.grad!.data<float>().ToArray()).ToArray());
            m.Module.train(false);
            var emb = m.Snapshot().Embeddings;
            grads.Add([emb.Users, emb.Items]); // evaluation: no dropout, every node
        }
        Assert.Equal(grads[1][0], grads[3][0], new FloatTolerance(1e-5f));
        Assert.Equal(grads[1][1], grads[3][1], new FloatTolerance(1e-5f));
        grads.RemoveAt(3); grads.RemoveAt(1);
        Assert.Equal(grads[0].Length, grads[1].Length);
        for (int i = 0; i < grads[0].Length; i++)
        {
            Assert.Contains(grads[0][i], v => v != 0);
            for (int j = 0; j < grads[0][i].Length; j++) Assert.Equal(grads[1][i][j], grads[0][i][j], 1e-5);
        }
    }

    [Fact]
    public void LightGcnBatchLossEqualsFullPropagationLoss()
    {
        var (train, _) = Data;
        using var csr = new LightGcnOptions { Dim = 8, Layers = 3, Propagation = PropagationBackend.Csr }.Create(train, 5);
        using var tor = new LightGcnOptions { Dim = 8, Layers = 3, Propagation = PropagationBackend.Torch }.Create(train, 5);
        using var scope = NewDisposeScope();
        var batch = new BprBatch([0, 1, 25, 0], [2, 3, 20, 5], [20, 21, 4, 22], CPU);
        Assert.Equal(tor.Loss(batch, 1e-2).item<float>(), csr.Loss(batch, 1e-2).item<float>(), 5);
    }

    [Fact]
    public void BprLossMatchesClosedForm()
    {
        // One pair, d = 1: u = 1, p = 2, n = 0.5 → softplus(0.5 - 2) = ln(1 + e^-1.5); reg ½(1 + 4 + 0.25)/1 · 0.1.
        using var u = tensor(new float[] { 1 }, [1, 1]);
        using var p = tensor(new float[] { 2 }, [1, 1]);
        using var n = tensor(new float[] { 0.5f }, [1, 1]);
        using var l = BprLoss.Compute(u, p, n, u, p, n, 0.1);
        Assert.Equal(Math.Log(1 + Math.Exp(-1.5)) + 0.1 * 0.5 * 5.25, l.item<float>(), 5);
    }

    private sealed class FloatTolerance(float tol) : IEqualityComparer<float>
    {
        public bool Equals(float a, float b) => Math.Abs(a - b) <= tol;
        public int GetHashCode(float f) => 0;
    }
}
