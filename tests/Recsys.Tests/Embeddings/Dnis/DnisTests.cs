using Recsys.Embeddings.Dnis;
using Recsys.Models;
using Recsys.Tables;
using Recsys.Training;
using Recsys.Training.Objectives;
using Recsys.Tests.Infrastructure;
using static TorchSharp.torch;

namespace Recsys.Tests.Embeddings.Dnis;

public class DnisTests
{
    internal static MfOptions Mf(EmbeddingTableSpec users, EmbeddingTableSpec items, int dim = 4) => new() { Dim = dim, UserTable = users, ItemTable = items };

    internal static DnisTableSpec Dnis(int blocks = 3, int warmup = 0) => new(new FullTableSpec()) { Fractions = FrequencyBlocks.Equal(blocks), WarmupEpochs = warmup, SearchEpochs = 1 };

    [Fact]
    public void BlocksFollowFrequencyAndFractions()
    {
        int[] degrees = [1, 9, 3, 9, 0, 5, 2, 7, 4, 6];
        var b = FrequencyBlocks.Of(degrees, [0.2, 0.3, 0.5]);
        Assert.Equal(new[] { 1, 3, 7, 9, 5, 8, 2, 6, 0, 4 }, b.Order); // by degree, ties to the lower id
        Assert.Equal(new[] { 2, 3, 5 }, Enumerable.Range(0, 3).Select(b.Size));
        Assert.Equal(0, b.BlockOf[1]); Assert.Equal(0, b.BlockOf[3]); Assert.Equal(1, b.BlockOf[7]); Assert.Equal(2, b.BlockOf[4]);
        Assert.Equal(1, b.PositionOf[3]); Assert.Equal(4, b.PositionOf[4]);
    }

    [Fact]
    public void AlphaGradientMatchesFiniteDifferences()
    {
        var d = DnisData.Communities();
        using var model = Mf(Dnis(), Dnis()).Create(DnisData.Inputs(d), 5);
        var table = (DnisTable)model.Module.named_children().First(c => c.name == "item_table").module;
        using (no_grad()) table.Alpha.uniform_(0.3, 0.9); // away from 1 so every entry matters
        var batch = new BprBatch([0, 3, 15, 20], [1, 2, 12, 14], [12, 11, 3, 0], CPU);
        double Loss() { using var l = model.Loss(batch, 1e-2); return l.item<float>(); }
        using (var l = model.Loss(batch, 1e-2)) l.backward();
        var grad = table.Alpha.grad!.data<float>().ToArray();
        const float eps = 1e-2f;
        var alpha = table.Alpha;
        int checkedEntries = 0;
        for (int k = 0; k < grad.Length; k++)
        {
            int row = k / 4, col = k % 4;
            double plus, minus;
            using (no_grad()) alpha[row, col].add_(eps);
            plus = Loss();
            using (no_grad()) alpha[row, col].sub_(2 * eps);
            minus = Loss();
            using (no_grad()) alpha[row, col].add_(eps);
            double fd = (plus - minus) / (2 * eps);
            Assert.True(Math.Abs(fd - grad[k]) <= 2e-4 + 2e-2 * Math.Abs(grad[k]), $"α[{row},{col}]: autograd {grad[k]}, finite difference {fd}");
            if (Math.Abs(grad[k]) > 1e-4) checkedEntries++;
        }
        Assert.True(checkedEntries >= 6, "too few α entries with a gradient to check");
    }

    /// <summary>Which tensors one step of each phase moves: the BPR phase never α, the α phase only α.</summary>
    [Fact]
    public void TrainingPhaseNeverMovesAlphaAndAlphaPhaseMovesOnlyAlpha()
    {
        var d = DnisData.Communities();
        var inputs = DnisData.Inputs(d);
        using var model = Mf(new FullTableSpec(), Dnis()).Create(inputs, 5);
        var options = new TrainerOptions { BatchSize = 16, Reg = 1e-4 };
        var groups = model.ParameterGroups(options);
        Assert.Equal(new[] { ParameterGroup.Default, DnisTable.GroupName("items") }, groups.Select(g => g.Name));
        using var optimizers = new Optimizers(groups);
        var phases = model.Phases(inputs, options);
        Assert.Equal(2, phases.Count);
        var rng = new Xoshiro256(1);

        var before = State(model);
        Assert.True(phases[0].Begin(ref rng) > 0);
        Step(phases[0], optimizers[phases[0].Optimizer]);
        var afterTrain = State(model);
        Assert.Equal(before["item_table.alpha"], afterTrain["item_table.alpha"]);
        Assert.NotEqual(before["item_table.inner.weight"], afterTrain["item_table.inner.weight"]);
        Assert.NotEqual(before["user_table.weight"], afterTrain["user_table.weight"]);

        Assert.Equal(DnisTable.GroupName("items"), phases[1].Optimizer);
        int n = phases[1].Begin(ref rng);
        Assert.Equal((d.Valid!.Count + 15) / 16, n); // validation pairs, not training ones
        Step(phases[1], optimizers[phases[1].Optimizer]);
        phases[1].End(); // clamps α back to [0, 1]
        var afterSearch = State(model);
        Assert.NotEqual(afterTrain["item_table.alpha"], afterSearch["item_table.alpha"]);
        Assert.Equal(afterTrain["item_table.inner.weight"], afterSearch["item_table.inner.weight"]);
        Assert.Equal(afterTrain["user_table.weight"], afterSearch["user_table.weight"]);
        Assert.All(afterSearch["item_table.alpha"], a => Assert.InRange(a, 0f, 1f));
    }

    [Fact]
    public void AlphaWaitsForTheWarmStart()
    {
        var d = DnisData.Communities();
        var inputs = DnisData.Inputs(d);
        using var model = Mf(new FullTableSpec(), Dnis(warmup: 1)).Create(inputs, 5);
        var phase = model.Phases(inputs, new TrainerOptions { BatchSize = 16 })[1];
        var rng = new Xoshiro256(1);
        Assert.Equal(0, phase.Begin(ref rng)); // warm-up epoch: batches drawn, none stepped
        phase.End();
        Assert.True(phase.Begin(ref rng) > 0);
    }

    [Fact]
    public void BudgetPruningKeepsTheRequestedCountWithinOneColumnPerBlock()
    {
        var rng = new Xoshiro256(9);
        int dim = 16;
        int[] sizes = [3, 7, 11, 20, 40];
        var scores = new float[sizes.Length * dim];
        for (int i = 0; i < scores.Length; i++) scores[i] = (float)rng.NextDouble();
        long full = sizes.Sum() * (long)dim;
        foreach (var fraction in new[] { 0.125, 0.25, 0.5, 0.75, 1.0 })
        {
            long budget = (long)Math.Floor(fraction * full);
            var kept = DnisPruning.ToBudget(scores, sizes, dim, budget, minWidth: 1);
            long used = DnisPruning.Parameters(kept, sizes);
            Assert.True(used <= budget, $"{fraction}: {used} > {budget}");
            var open = Enumerable.Range(0, sizes.Length).Where(b => kept[b].Length < dim).ToList();
            if (open.Count > 0) Assert.True(budget - used < open.Max(b => sizes[b]), $"{fraction}: {budget - used} left unspent");
            Assert.All(kept, k => Assert.True(k.Length >= 1 && k.SequenceEqual(k.Order().Distinct())));
        }
    }

    [Fact]
    public void BudgetAndThresholdKeepTheBestScoredColumns()
    {
        // Two blocks of 2 and 4 ids, 3 columns. Budget 10: the best (block 0, col 2) is forced per block,
        // (block 1, col 0) too; then 0.8 (b0 c0, +2 → 8) fits, 0.7 (b1 c1, +4) does not, 0.1 (b0 c1, +2 → 10) does.
        float[] s = [0.8f, 0.1f, 0.9f, 0.95f, 0.7f, 0.05f];
        var kept = DnisPruning.ToBudget(s, [2, 4], 3, 10, minWidth: 1);
        Assert.Equal(new[] { 0, 1, 2 }, kept[0]);
        Assert.Equal(new[] { 0 }, kept[1]);
        var byThreshold = DnisPruning.ToThreshold(s, 2, 3, 0.75, minWidth: 1);
        Assert.Equal(new[] { 0, 2 }, byThreshold[0]);
        Assert.Equal(new[] { 0 }, byThreshold[1]);
        Assert.Throws<ArgumentOutOfRangeException>(() => DnisPruning.ToBudget(s, [2, 4], 3, 5, minWidth: 1)); // below one column per block
    }

    [Fact]
    public void MixedRowsEqualTheMaskedScaledRowsTheyCameFrom()
    {
        var d = DnisData.Communities();
        var ctx = TableContext.For(DnisData.Inputs(d), TableSide.Items, 6, 4);
        using var dnis = (DnisTable)new DnisTableSpec(new FullTableSpec()) { Fractions = [0.2, 0.3, 0.5] }.Create(ctx);
        using (no_grad()) dnis.Alpha.uniform_(0, 1, new Generator(3));
        var scores = dnis.Scores();
        var sizes = Enumerable.Range(0, 3).Select(dnis.Blocks.Size).ToArray();
        var kept = DnisPruning.ToBudget(scores, sizes, 6, ctx.Count * 6 / 2);
        using var mixed = (MixedDimensionTable)new MixedDimensionTableSpec([0.2, 0.3, 0.5], kept).Create(ctx);
        var scaled = dnis.ScaledRows();
        mixed.SetFrom(scaled);
        var all = mixed.All().data<float>().ToArray();
        using var ids = tensor(new long[] { 7, 0, 19, 7, 3 });
        var looked = mixed.Lookup(ids).data<float>().ToArray();
        for (int id = 0; id < ctx.Count; id++)
            for (int j = 0; j < 6; j++)
            {
                float expected = kept[dnis.Blocks.BlockOf[id]].Contains(j) ? scaled[id * 6 + j] : 0f;
                Assert.Equal(expected, all[id * 6 + j]);
            }
        long[] picked = [7, 0, 19, 7, 3];
        for (int r = 0; r < picked.Length; r++)
            Assert.Equal(all.AsSpan((int)picked[r] * 6, 6).ToArray(), looked.AsSpan(r * 6, 6).ToArray());
        Assert.Equal(DnisPruning.Parameters(kept, sizes), mixed.Parameters);
        Assert.True(mixed.Parameters <= ctx.Count * 6 / 2);
    }

    [Fact]
    public void MixedRowsPassGradientsToExactlyTheStoredValuesTheyShow()
    {
        // Every id's row in All() and Lookup() comes from its block's stored values; weighting each returned value by a
        // distinct factor, the gradient of a stored value is the factor of the one place it shows up (an empty block: none).
        var d = DnisData.Communities();
        var ctx = TableContext.For(DnisData.Inputs(d), TableSide.Items, 5, 4);
        int[][] kept = [[0, 2, 4], [], [1, 3]];
        using var mixed = (MixedDimensionTable)new MixedDimensionTableSpec([0.2, 0.3, 0.5], kept).Create(ctx);
        var factors = Enumerable.Range(0, ctx.Count * 5).Select(i => 1f + i).ToArray();
        using var weight = tensor(factors, [ctx.Count, 5]);
        long[] picked = [4, 4, 11, 0];
        using var ids = tensor(picked);
        (mixed.All() * weight).sum().backward();
        (mixed.Lookup(ids) * weight.index_select(0, ids)).sum().backward();
        var grads = mixed.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad!.data<float>().ToArray());
        Assert.Equal(2, grads.Count);
        for (int b = 0; b < 3; b++)
        {
            if (kept[b].Length == 0) continue;
            var g = grads[$"block_{b}"];
            for (int r = 0; r < mixed.Blocks.Size(b); r++)
            {
                int id = mixed.Blocks.Order[mixed.Blocks.Start(b) + r];
                int times = 1 + picked.Count(p => p == id);
                for (int c = 0; c < kept[b].Length; c++)
                    Assert.Equal(times * factors[id * 5 + kept[b][c]], g[r * kept[b].Length + c]);
            }
        }
    }

    [Fact]
    public void SaveLoadRoundTripAtTheReducedSize()
    {
        var d = DnisData.Communities(users: 24, items: 400, perUser: 30);
        var ctx = TableContext.For(DnisData.Inputs(d), TableSide.Items, 32, 4);
        var widths = new[] { 32, 16, 8, 8, 4 };
        var spec = MixedDimensionTableSpec.FirstColumns(widths);
        using var a = spec.Create(ctx);
        using var full = new FullTableSpec().Create(ctx);
        var dir = TestPaths.NewTempDir();
        string fa = Path.Combine(dir, "mixed.bin"), ff = Path.Combine(dir, "full.bin");
        a.save(fa);
        full.save(ff);
        long sa = new FileInfo(fa).Length, sf = new FileInfo(ff).Length;
        double kept = widths.Average() / 32; // equal blocks of 80 ids
        Assert.Equal((long)(kept * 400 * 32), a.Parameters);
        Assert.True(sa < sf * (kept + 0.05), $"saved {sa} bytes vs {sf} for the full table");
        using var b = spec.Create(ctx with { Seed = 99 });
        Assert.NotEqual(a.All().data<float>().ToArray(), b.All().data<float>().ToArray());
        b.load(fa);
        Assert.Equal(a.All().data<float>().ToArray(), b.All().data<float>().ToArray());
    }

    [Fact]
    public void BadBudgetsAndTooManyBlocksNameTheOption()
    {
        foreach (var budget in new[] { 0.0, -0.1, 1.5 })
            Assert.Equal(nameof(DnisTableSpec.Budget), Assert.Throws<ArgumentOutOfRangeException>(() => (Dnis() with { Budget = budget }).Validate()).ParamName);
        var d = DnisData.Communities(users: 24, items: 8, perUser: 2);
        var ctx = TableContext.For(DnisData.Inputs(d), TableSide.Items, 4, 1);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Dnis(blocks: 10).Create(ctx));
        Assert.Equal(nameof(DnisTableSpec.Fractions), e.ParamName);
        Assert.Contains("10 frequency blocks need at least 10 items", e.Message);
    }

    internal static void Step(ITrainingPhase phase, TorchSharp.Modules.OptimizerHelper optimizer)
    {
        using var scope = NewDisposeScope();
        optimizer.zero_grad();
        var loss = phase.Loss(0, CPU);
        loss.backward();
        optimizer.step();
    }

    internal static Dictionary<string, float[]> State(IRecommenderModel m) =>
        m.Module.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().clone().data<float>().ToArray());
}
