using Recsys.Data;
using Recsys.Data.Synthetic;
using Recsys.Models;
using Recsys.Tests.Infrastructure;
using Recsys.Training;
using static TorchSharp.torch;

namespace Recsys.Tests.Models;

public class TwoTowerTests
{
    private static readonly Lazy<Dataset> Data = new(() => SyntheticGenerator.Generate(new SyntheticOptions { Users = 40, Items = 30, Communities = 3, Seed = 4 }));

    private static TwoTowerOptions Small(double decay = 0.8) => new() { Dim = 8, MaxLength = 6, RecencyDecay = decay, Temperature = 0.5 };

    /// <summary>Items 0..29; items 3 and 4 share attribute 0, item 3 also has 1 (twice, as a category level), item 7 has 2.</summary>
    private static ItemAttributes Attributes(int item3Second = 1) => new([3, 3, 3, 4, 7], [0, item3Second, item3Second, 0, 2], ["a", "b", "c"]);

    private static ModelInputs Inputs(ItemAttributes? attributes = null)
    {
        var d = Data.Value;
        return new ModelInputs(d.Name, d.TrainMatrix()) { Histories = d.Histories(), Attributes = attributes };
    }

    private static float[] Row(float[] m, int row, int dim = 8) => m[(row * dim)..((row + 1) * dim)];

    private static void Close(float[] want, float[] got, int digits = 5)
    {
        Assert.Equal(want.Length, got.Length);
        for (int k = 0; k < want.Length; k++) Assert.Equal(want[k], got[k], digits);
    }

    [Fact]
    public void LogQSoftmaxMatchesAHandComputationAndMasksDuplicateTargets()
    {
        // Three examples, D = 2, targets 5, 9, 5: column 2 is row 0's positive again (and column 0 row 2's), so masked.
        float[] u = [1, 0, 0, 1, 0.6f, 0.8f];
        float[] v = [0.8f, 0.6f, 0, 1, 1, 0];
        long[] targets = [5, 9, 5];
        float[] logQ = [(float)Math.Log(0.5), (float)Math.Log(0.1), (float)Math.Log(0.5)];
        double tau = 0.5;
        using var loss = LogQSoftmax.Loss(tensor(u, [3, 2]), tensor(v, [3, 2]), targets, logQ, tau);

        double Logit(int i, int j) => (u[2 * i] * v[2 * j] + u[2 * i + 1] * v[2 * j + 1]) / tau - logQ[j];
        double Term(int i, int[] columns) => Math.Log(columns.Sum(j => Math.Exp(Logit(i, j)))) - Logit(i, i);
        double want = (Term(0, [0, 1]) + Term(1, [0, 1, 2]) + Term(2, [1, 2])) / 3;
        Assert.Equal(want, loss.item<float>(), 5);

        // Without the correction (log Q = 0) popular negatives weigh more, so the loss differs.
        using var plain = LogQSoftmax.Loss(tensor(u, [3, 2]), tensor(v, [3, 2]), targets, new float[3], tau);
        Assert.NotEqual(loss.item<float>(), plain.item<float>(), 3);
    }

    [Fact]
    public void ModelLossIsTheCorrectedSoftmaxOfItsTowersAndLogQIsTheTargetShare()
    {
        var inputs = Inputs(Attributes());
        using var model = (TwoTower)Small().Create(inputs, 5);
        // Q: the share of item i among all training targets (every history item but each user's first).
        var targets = Enumerable.Range(0, inputs.NumUsers).SelectMany(u => inputs.Histories!.ItemsOf(u).ToArray().Skip(1)).ToArray();
        foreach (var i in targets.Distinct())
            Assert.Equal(Math.Log(targets.Count(t => t == i) / (double)targets.Length), model.LogQ(i), 5);

        int[][] histories = [[3, 1, 4], [1, 5, 9, 2, 6, 5, 3, 5], [], [7]];
        int[] next = [2, 7, 2, 4];
        float got = model.Loss(histories, next, null, CPU).item<float>();

        var snapshot = model.Snapshot();
        var queries = snapshot.Encoder!.Encode(histories);
        var items = snapshot.Embeddings.Items;
        double Logit(int i, int j) => Row(queries, i).Zip(Row(items, next[j])).Sum(p => (double)p.First * p.Second) / 0.5 - model.LogQ(next[j]);
        double sum = 0;
        for (int i = 0; i < 4; i++)
        {
            var columns = Enumerable.Range(0, 4).Where(j => j == i || next[j] != next[i]);
            sum += Math.Log(columns.Sum(j => Math.Exp(Logit(i, j)))) - Logit(i, i);
        }
        Assert.Equal(sum / 4, got, 4);
        ((IDisposable)snapshot.Encoder).Dispose();
    }

    [Fact]
    public void RecencyWeightingMakesTheUserTowerOrderSensitiveAndThePlainMeanDoesNot()
    {
        int[] history = [1, 5, 9, 2], shuffled = [9, 2, 5, 1];
        using (var mean = (TwoTower)Small(decay: 1).Create(Inputs(), 3))
        {
            var enc = mean.Snapshot().Encoder!;
            var q = enc.Encode([history, shuffled]);
            Close(Row(q, 0), Row(q, 1));
            // Repeats count: a history is a multiset, not a set.
            Assert.NotEqual(Row(q, 0), enc.Encode([[1, 5, 9, 2, 2]]));
        }
        using (var recency = (TwoTower)Small(decay: 0.5).Create(Inputs(), 3))
        {
            var q = recency.Snapshot().Encoder!.Encode([history, shuffled]);
            Assert.NotEqual(Row(q, 0), Row(q, 1));
        }
    }

    [Fact]
    public void AttributesChangeTheItemVectorOfTheirItemOnly()
    {
        float[] Items(ItemAttributes? a, bool use = true)
        {
            using var model = (TwoTower)(Small() with { Attributes = use }).Create(Inputs(a), 11);
            return model.Snapshot().Embeddings.Items;
        }
        var withB = Items(Attributes(item3Second: 1));
        var withC = Items(Attributes(item3Second: 2));
        var none = Items(null);
        Assert.NotEqual(Row(withB, 3), Row(withC, 3));          // item 3's second attribute differs
        Close(Row(withB, 4), Row(withC, 4));                     // item 4's attributes are the same
        Close(Row(withB, 0), Row(none, 0));                      // item 0 has none: its id row alone, as without attributes
        Assert.NotEqual(Row(withB, 4), Row(none, 4));
        Assert.Equal(none, Items(Attributes(), use: false));     // the option off ignores the data's attributes
    }

    [Fact]
    public void EmptyHistoriesShareOneQueryAndLongHistoriesKeepTheirLastMaxLengthItems()
    {
        using var model = (TwoTower)Small().Create(Inputs(), 8);
        var snapshot = model.Snapshot();
        var enc = snapshot.Encoder!;
        var q = enc.Encode([[], [], Enumerable.Range(0, 20).ToArray(), Enumerable.Range(14, 6).ToArray()]);
        Assert.All(q, v => Assert.True(float.IsFinite(v)));
        Assert.Equal(Row(q, 0), Row(q, 1));
        Close(Row(q, 2), Row(q, 3));                              // MaxLength 6: items 14..19
        Assert.NotEqual(Row(q, 2), enc.Encode([Enumerable.Range(13, 7).ToArray()]));
        // Normalised towers: unit queries and item vectors.
        Assert.Equal(1.0, Math.Sqrt(Row(q, 2).Sum(x => (double)x * x)), 4);
        Assert.Equal(1.0, Math.Sqrt(Row(snapshot.Embeddings.Items, 5).Sum(x => (double)x * x)), 4);
        Assert.Empty(snapshot.Embeddings.Users);
        Assert.Throws<ArgumentOutOfRangeException>(() => enc.Encode([[30]]));
        // The encoder outlives the model and answers the same from several threads.
        model.Dispose();
        Parallel.For(0, 8, _ => Assert.Equal(q, enc.Encode([[], [], Enumerable.Range(0, 20).ToArray(), Enumerable.Range(14, 6).ToArray()])));
    }

    [Fact]
    public void UserIdsGiveUserRowsFromTheIdAndTrainingHistoryWhileTheEncoderServesNewUsers()
    {
        var inputs = Inputs();
        using var model = (TwoTower)(Small() with { UserIds = true }).Create(inputs, 6);
        Assert.Equal(inputs.NumUsers, model.Tables.UserRows);
        using (no_grad()) model.Network.parameters().First(p => p.shape[0] == inputs.NumUsers).normal_(0, 1);
        var snapshot = model.Snapshot();
        Assert.Equal(inputs.NumUsers * 8, snapshot.Embeddings.Users.Length);
        var history = inputs.Histories!.ItemsOf(2).ToArray();
        // The encoder adds no user row, so user 2's row differs from its history alone.
        Assert.NotEqual(Row(snapshot.Embeddings.Users, 2), snapshot.Encoder!.Encode([history]));
        using var without = (TwoTower)Small().Create(inputs, 6);
        Assert.Equal(0, without.Tables.UserRows);
    }

    [Fact]
    public void ValidateNamesTheBadOption()
    {
        Assert.Equal("MaxLength", Assert.Throws<ArgumentOutOfRangeException>(() => (Small() with { MaxLength = 0 }).Validate()).ParamName);
        Assert.Equal("RecencyDecay", Assert.Throws<ArgumentOutOfRangeException>(() => (Small() with { RecencyDecay = 0 }).Validate()).ParamName);
        Assert.Equal("RecencyDecay", Assert.Throws<ArgumentOutOfRangeException>(() => (Small() with { RecencyDecay = 1.5 }).Validate()).ParamName);
        Assert.Equal("Layers", Assert.Throws<ArgumentOutOfRangeException>(() => (Small() with { Layers = 0 }).Validate()).ParamName);
        Assert.Equal("Temperature", Assert.Throws<ArgumentOutOfRangeException>(() => (Small() with { Temperature = 0 }).Validate()).ParamName);
        Assert.Equal("Temperature", Assert.Throws<ArgumentOutOfRangeException>(() => (Small() with { Temperature = double.PositiveInfinity }).Validate()).ParamName);
        Assert.Equal("UserTable", Assert.Throws<ArgumentOutOfRangeException>(() => (Small() with { UserTable = new Recsys.Embeddings.GraphHash.GraphHashTableSpec() }).Validate()).ParamName);
        Assert.Throws<InvalidDataException>(() => Small().Create(new ModelInputs("c", Data.Value.TrainMatrix()), 1));
    }

    [Fact]
    public void PhaseDrawsEveryPrefixOnceAndTheSameOrderFromTheSameGenerator()
    {
        var inputs = Inputs();
        using var model = (TwoTower)Small().Create(inputs, 5);
        var phase = (TwoTowerPhase)model.Phases(inputs, new TrainerOptions { BatchSize = 16 })[0];
        var rng = new Xoshiro256(17);
        int batches = phase.Begin(ref rng);
        int want = Enumerable.Range(0, inputs.NumUsers).Sum(u => Math.Max(0, inputs.Histories!.Length(u) - 1));
        Assert.Equal(want, phase.Examples);
        Assert.Equal((want + 15) / 16, batches);
        var drawn = Enumerable.Range(0, want).Select(phase.Example).ToArray();
        Assert.Equal(want, drawn.Distinct().Count());
        Assert.All(drawn, e => Assert.InRange(e.Position, 1, inputs.Histories!.Length(e.User) - 1));
        var again = (TwoTowerPhase)model.Phases(inputs, new TrainerOptions { BatchSize = 16 })[0];
        var rng2 = new Xoshiro256(17);
        again.Begin(ref rng2);
        Assert.Equal(drawn, Enumerable.Range(0, want).Select(again.Example));
        Assert.True(float.IsFinite(phase.Loss(0, CPU).item<float>()));
    }

    [Fact]
    public void TrainsAndRecommendsThroughTheCli()
    {
        var dir = TestPaths.NewTempDir();
        var folder = Path.Combine(dir, "data");
        DatasetFolder.Write(Data.Value, folder);
        var run = Path.Combine(dir, "run");
        var (code, _, err) = CliHarness.Run("train", "--data", folder, "--model", "twotower", "--dim", "8", "--max-length", "6",
            "--recency-decay", "1", "--tower-layers", "1", "--temperature", "0.1", "--batch", "32", "--epochs", "2", "--eval-every", "1",
            "--device", "cpu", "--out", run);
        Assert.True(code == 0, err);
        var record = new RunFolder(run).ReadRecord(Tc.Catalog);
        var o = Assert.IsType<TwoTowerOptions>(record.Model);
        Assert.Equal((6, 1.0, 1, 0.1), (o.MaxLength, o.RecencyDecay, o.Layers, o.Temperature));
        var (rc, output, rerr) = CliHarness.Run("recommend", "--data", folder, "--run", run, "--user", "3");
        Assert.True(rc == 0, rerr);
        Assert.False(string.IsNullOrWhiteSpace(output));
    }
}
