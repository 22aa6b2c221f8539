using Recsys.Data;
using Recsys.Data.Synthetic;
using Recsys.Models;
using Recsys.Retrieval.Recommenders;
using Recsys.Tests.Infrastructure;
using Recsys.Training;
using static TorchSharp.torch;

namespace Recsys.Tests.Models;

public class SasRecTests
{
    private static readonly Lazy<Dataset> Data = new(() => SyntheticGenerator.Generate(new SyntheticOptions { Users = 40, Items = 30, Communities = 3, Seed = 4 }));

    private static SasRecOptions Small(SasRecObjective objective = SasRecObjective.CrossEntropy, double dropout = 0.2) =>
        new() { Dim = 8, MaxLength = 6, Blocks = 2, Heads = 2, Dropout = dropout, Objective = objective };

    private static float[] Hidden(SasRecNetwork net, long[] rows, int t)
    {
        using var _ = no_grad();
        using var h = net.Forward(tensor(rows, [rows.Length / t, t]));
        return h.contiguous().data<float>().ToArray();
    }

    private static void Close(float[] want, float[] got)
    {
        Assert.Equal(want.Length, got.Length);
        for (int k = 0; k < want.Length; k++) Assert.Equal(want[k], got[k], 5);
    }

    [Fact]
    public void ChangingALaterItemNeverChangesAnEarlierPosition()
    {
        using var model = (SasRec)Small().Create(ModelInputs.From(Data.Value), 3);
        model.eval();
        long[] a = [0, 5, 9, 2, 7, 11], b = [0, 5, 9, 2, 20, 3];   // differ from position 4 on
        var ha = Hidden(model.Network, a, 6);
        var hb = Hidden(model.Network, b, 6);
        int d = 8;
        Assert.Equal(ha[..(4 * d)], hb[..(4 * d)]);
        Assert.NotEqual(ha[(4 * d)..(5 * d)], hb[(4 * d)..(5 * d)]);
    }

    [Fact]
    public void PaddingDoesNotChangeRealPositionsAndGetsNoGradient()
    {
        using var model = (SasRec)Small().Create(ModelInputs.From(Data.Value), 3);
        model.eval();
        int d = 8;
        // The same three items alone (T = 3) and left-padded to T = 6: the real positions agree.
        var alone = Hidden(model.Network, [4, 8, 15], 3);
        var padded = Hidden(model.Network, [0, 0, 0, 4, 8, 15], 6);
        Close(alone, padded[(3 * d)..]);

        // A batch with a longer window pads the shorter one; the padding row receives no gradient and changing it
        // leaves the loss unchanged.
        int[][] windows = [[1, 2, 3], [4, 5, 6, 7, 8, 9, 10]];
        using var loss = model.Loss(windows, null, CPU);
        loss.backward();
        var padGrad = model.Network.ItemTable!.grad!.select(0, 0);
        Assert.Equal(0f, padGrad.abs().max().item<float>());
        using (no_grad()) model.Network.ItemTable!.select(0, 0).fill_(3.5f);
        using var again = model.Loss(windows, null, CPU);
        Assert.Equal(loss.item<float>(), again.item<float>(), 5);
    }

    [Fact]
    public void CrossEntropyIsTheMeanNegativeLogSoftmaxOverRealPositions()
    {
        using var model = (SasRec)Small().Create(ModelInputs.From(Data.Value), 5);
        model.eval();
        int[][] windows = [[3, 1, 4], [1, 5, 9, 2, 6]];
        float got = model.Loss(windows, null, CPU).item<float>();

        // By hand: hidden states of each window's inputs at T = 4, log-softmax over item vectors, the targets' terms.
        using var _ = no_grad();
        var h = Hidden(model.Network, [0, 0, 4, 2, /**/ 2, 6, 10, 3], 4);   // rows are item + 1
        var items = model.Network.Items.contiguous().data<float>().ToArray();
        int d = 8, n = 30;
        double sum = 0; int count = 0;
        void Term(int s, int t, int target)
        {
            var logits = Enumerable.Range(0, n).Select(i => (double)Enumerable.Range(0, d).Sum(k => h[(s * 4 + t) * d + k] * items[i * d + k])).ToArray();
            double max = logits.Max(), lse = max + Math.Log(logits.Sum(z => Math.Exp(z - max)));
            sum += lse - logits[target]; count++;
        }
        Term(0, 2, 1); Term(0, 3, 4);   // window [3, 1, 4]: inputs 3, 1 at t = 2, 3; targets 1, 4
        Term(1, 0, 5); Term(1, 1, 9); Term(1, 2, 2); Term(1, 3, 6);
        Assert.Equal(sum / count, got, 4);
    }

    [Fact]
    public void BceNegativesAreNeverInTheUsersHistoryAndTheLossMatchesByHand()
    {
        var inputs = ModelInputs.From(Data.Value);
        using var model = (SasRec)Small(SasRecObjective.BinaryCrossEntropy).Create(inputs, 5);
        var phase = (SasRecPhase)model.Phases(inputs, new TrainerOptions { BatchSize = 8 })[0];
        var rng = new Xoshiro256(17);
        int batches = phase.Begin(ref rng);
        Assert.Equal((phase.Users.Count + 7) / 8, batches);
        Assert.All(phase.Users, u => Assert.True(inputs.Histories!.Length(u) >= 2));
        for (int k = 0; k < phase.Users.Count; k++)
        {
            var history = inputs.Histories!.ItemsOf(phase.Users[k]).ToArray();
            var negatives = phase.Negatives(k);
            Assert.Equal(Math.Min(history.Length, 7) - 1, negatives.Count);
            Assert.All(negatives, i => Assert.DoesNotContain(i, history));
        }
        // Same generator state, same draws.
        var rng2 = new Xoshiro256(17);
        var phase2 = (SasRecPhase)model.Phases(inputs, new TrainerOptions { BatchSize = 8 })[0];
        phase2.Begin(ref rng2);
        Assert.Equal(phase.Users, phase2.Users);
        Assert.Equal(phase.Negatives(3), phase2.Negatives(3));

        // BCE by hand on one window: −log σ(h·e_pos) − log σ(−h·e_neg), averaged over positions.
        model.eval();
        float got = model.Loss([[2, 7, 1]], [[9, 12]], CPU).item<float>();
        using var _ = no_grad();
        var h = Hidden(model.Network, [3, 8], 2);
        var items = model.Network.Items.contiguous().data<float>().ToArray();
        double Dot(int t, int item) => Enumerable.Range(0, 8).Sum(k => (double)h[t * 8 + k] * items[item * 8 + k]);
        double LogSig(double x) => -Math.Log(1 + Math.Exp(-x));
        double want = (-LogSig(Dot(0, 7)) - LogSig(-Dot(0, 9)) - LogSig(Dot(1, 1)) - LogSig(-Dot(1, 12))) / 2;
        Assert.Equal(want, got, 4);
    }

    [Fact]
    public void EncoderOutlivesTheModelAndEncodesEmptyAndLongHistories()
    {
        var inputs = ModelInputs.From(Data.Value);
        ModelSnapshot snapshot;
        float[] before;
        int[][] histories = [[1, 2, 3], [], Enumerable.Range(0, 20).ToArray()];
        using (var model = (SasRec)Small().Create(inputs, 8))
        {
            snapshot = model.Snapshot();
            before = snapshot.Encoder!.Encode(histories);
            model.eval();
            // The encoder's query is the network's final position.
            var h = Hidden(model.Network, [2, 3, 4], 3);
            Close(h[(2 * 8)..], before[..8]);
        }
        Assert.Empty(snapshot.Embeddings.Users);
        Assert.Equal(30 * 8, snapshot.Embeddings.Items.Length);
        var after = snapshot.Encoder!.Encode(histories);
        Assert.Equal(before, after);
        Assert.All(after, v => Assert.True(float.IsFinite(v)));
        // Only the last MaxLength items count.
        Close(after[(2 * 8)..], snapshot.Encoder.Encode([Enumerable.Range(14, 6).ToArray()]));
        Assert.Throws<ArgumentOutOfRangeException>(() => snapshot.Encoder.Encode([[30]]));
        // Thread-safe: concurrent calls give the same answers.
        Parallel.For(0, 8, _ => Assert.Equal(after, snapshot.Encoder.Encode(histories)));
    }

    [Fact]
    public void ValidateNamesTheBadOption()
    {
        Assert.Equal("Heads", Assert.Throws<ArgumentOutOfRangeException>(() => (Small() with { Heads = 3 }).Validate()).ParamName);
        Assert.Equal("MaxLength", Assert.Throws<ArgumentOutOfRangeException>(() => (Small() with { MaxLength = 0 }).Validate()).ParamName);
        Assert.Equal("Dropout", Assert.Throws<ArgumentOutOfRangeException>(() => (Small() with { Dropout = 1 }).Validate()).ParamName);
        // Any item table kind is accepted (SequentialTableTests); a user table other than full is not: there is none.
        Assert.Equal("UserTable", Assert.Throws<ArgumentOutOfRangeException>(() => (Small() with { UserTable = new Recsys.Embeddings.GraphHash.GraphHashTableSpec() }).Validate()).ParamName);
    }

    [Fact]
    public void TrainsAndRecommendsThroughTheCli()
    {
        var dir = TestPaths.NewTempDir();
        var folder = Path.Combine(dir, "data");
        DatasetFolder.Write(Data.Value, folder);
        var run = Path.Combine(dir, "run");
        var (code, _, err) = CliHarness.Run("train", "--data", folder, "--model", "sasrec", "--dim", "8", "--max-length", "6", "--blocks", "1",
            "--objective", "bce", "--epochs", "2", "--eval-every", "1", "--device", "cpu", "--out", run);
        Assert.True(code == 0, err);
        var (rc, output, rerr) = CliHarness.Run("recommend", "--data", folder, "--run", run, "--user", "3");
        Assert.True(rc == 0, rerr);
        Assert.False(string.IsNullOrWhiteSpace(output));

        // eval --run rebuilds a model without user rows and scores its encoder; the run's own validation number agrees.
        (rc, output, rerr) = CliHarness.Run("eval", "--data", folder, "--run", run, "--k", "20", "--split", "valid", "--json");
        Assert.True(rc == 0, rerr);
        var recall = System.Text.Json.Nodes.JsonNode.Parse(output)!["recall@20"]!.GetValue<double>();
        var record = new Recsys.Training.RunFolder(run).ReadRecord(Tc.Catalog);
        Assert.Equal(record.Evaluations.Single(e => e.Epoch == record.SavedEpoch).Metrics["recall@20"], recall, 9);
        (rc, _, rerr) = CliHarness.Run("eval", "--data", folder, "--run", run, "--k", "20", "--json");
        Assert.True(rc == 0, rerr);
    }
}
