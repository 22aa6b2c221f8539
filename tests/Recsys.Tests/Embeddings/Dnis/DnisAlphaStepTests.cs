using Recsys.Embeddings.Dnis;
using Recsys.Models;
using Recsys.Tables;
using Recsys.Training;
using Recsys.Training.Objectives;
using Recsys.Tests.Infrastructure;
using static Recsys.Tests.Embeddings.Dnis.DnisTests;
using static TorchSharp.torch;

namespace Recsys.Tests.Embeddings.Dnis;

/// <summary>How α steps: the objective's L2 weight, the second-order gradient, SGD and the gradient's normalisation.</summary>
public class DnisAlphaStepTests
{
    // A member, so the name wins over the namespace Recsys.Tests.Embeddings.Dnis.
    private static DnisTableSpec Dnis(int blocks = 3, int warmup = 0) => DnisTests.Dnis(blocks, warmup);

    /// <summary>
    /// α's objective gets the trainer's options with the L2 weight the spec names (all else as trained), and the weight
    /// reaches the loss: with ValidationReg 0 under a large trainer Reg, α's phase computes the loss a Reg-0 trainer's does.
    /// </summary>
    [Fact]
    public void ValidationRegSetsTheL2WeightOfTheObjectiveAlphaSteps()
    {
        var d = DnisData.Communities();
        var inputs = DnisData.Inputs(d);
        var trainer = new TrainerOptions { BatchSize = 16, Reg = 0.5, Negatives = 2 };
        foreach (var (validReg, expected) in new (double?, double)[] { (null, 0.5), (0.0, 0.0), (1e-3, 1e-3) })
        {
            var ctx = TableContext.For(inputs, TableSide.Items, 4, 1);
            using var table = (DnisTable)(Dnis() with { ValidationReg = validReg }).Create(ctx);
            TrainerOptions? seen = null;
            table.Phases(new TablePhaseContext("items", (m, group, o) =>
            {
                seen = o;
                Assert.Same(inputs.Valid, m);
                return new BprPhase(new NoModel(), m, o, group);
            }, () => throw new InvalidOperationException("first order needs no training phase"), [], inputs, trainer));
            Assert.Equal(expected, seen!.Reg);
            Assert.Equal(trainer with { Reg = seen.Reg }, seen);
        }

        float AlphaLoss(double? validReg, double reg)
        {
            using var model = Mf(new FullTableSpec(), Dnis() with { ValidationReg = validReg }).Create(inputs, 5);
            var phase = model.Phases(inputs, trainer with { Reg = reg })[1];
            var rng = new Xoshiro256(3);
            phase.Begin(ref rng);
            using var loss = phase.Loss(0, CPU);
            return loss.item<float>();
        }
        Assert.Equal(AlphaLoss(null, 0), AlphaLoss(0.0, 0.5));
        Assert.True(AlphaLoss(null, 0.5) > AlphaLoss(0.0, 0.5) + 1e-3f);
        Assert.Equal(nameof(DnisTableSpec.ValidationReg), Assert.Throws<ArgumentOutOfRangeException>(() => (Dnis() with { ValidationReg = -1 }).Validate()).ParamName);
    }

    /// <summary>
    /// The second-order gradient against finite differences of the unrolled objective itself,
    /// F(α) = L_val(w − ξ·∇_w L_train(w, α), α), evaluated by brute force for each α entry; and it differs from the
    /// first-order gradient at w' by more than the tolerance (so the correction term is what matches).
    /// </summary>
    [Fact]
    public void SecondOrderGradientMatchesFiniteDifferencesOfTheUnrolledObjective()
    {
        var d = DnisData.Communities();
        var inputs = DnisData.Inputs(d);
        using var model = Mf(new FullTableSpec(), Dnis() with { SecondOrder = true }).Create(inputs, 5);
        var table = (DnisTable)model.Module.named_children().First(c => c.name == "item_table").module;
        using (no_grad()) table.Alpha.uniform_(0.3, 0.9);
        var weights = model.ParameterGroups(new TrainerOptions())[0].Parameters;
        Assert.Equal(2, weights.Count); // user table, inner item table
        var train = new BprBatch([0, 3, 15, 20, 7], [1, 2, 12, 14, 5], [12, 11, 3, 0, 9], CPU);
        // Validation pairs over the same users and items: the correction couples them through the shared rows.
        var valid = new BprBatch([0, 3, 15, 20], [2, 12, 1, 5], [11, 1, 9, 12], CPU);
        const double reg = 1e-2, xi = 20.0;
        var before = weights.Select(w => w.detach().clone().data<float>().ToArray()).ToArray();

        var (loss, grad) = UnrolledAlphaGradient.Compute(table.Alpha, weights, xi, () => model.Loss(train, reg), () => model.Loss(valid, reg));
        var g = grad.data<float>().ToArray();
        for (int i = 0; i < weights.Count; i++) Assert.Equal(before[i], weights[i].detach().data<float>().ToArray()); // restored exactly

        double Unrolled()
        {
            var saved = weights.Select(w => w.detach().clone()).ToArray();
            var step = autograd.grad([model.Loss(train, reg)], weights.ToArray());
            using (no_grad()) for (int i = 0; i < weights.Count; i++) weights[i].sub_(step[i] * xi);
            double value;
            using (no_grad()) value = model.Loss(valid, reg).item<float>();
            using (no_grad()) for (int i = 0; i < weights.Count; i++) weights[i].copy_(saved[i]);
            return value;
        }
        Assert.Equal(Unrolled(), loss.item<float>(), 5);

        // First order at w' for contrast.
        var saved0 = weights.Select(w => w.detach().clone()).ToArray();
        var step0 = autograd.grad([model.Loss(train, reg)], weights.ToArray());
        using (no_grad()) for (int i = 0; i < weights.Count; i++) weights[i].sub_(step0[i] * xi);
        var firstOrder = autograd.grad([model.Loss(valid, reg)], [table.Alpha])[0].data<float>().ToArray();
        using (no_grad()) for (int i = 0; i < weights.Count; i++) weights[i].copy_(saved0[i]);

        const float eps = 1e-2f;
        var alpha = table.Alpha;
        int checkedEntries = 0, corrected = 0;
        for (int k = 0; k < g.Length; k++)
        {
            int row = k / 4, col = k % 4;
            using (no_grad()) alpha[row, col].add_(eps);
            double plus = Unrolled();
            using (no_grad()) alpha[row, col].sub_(2 * eps);
            double minus = Unrolled();
            using (no_grad()) alpha[row, col].add_(eps);
            double fd = (plus - minus) / (2 * eps), tolerance = 2e-5 + 1e-2 * Math.Abs(fd);
            Assert.True(Math.Abs(fd - g[k]) <= tolerance, $"α[{row},{col}]: second order {g[k]}, finite difference {fd}, first order {firstOrder[k]}");
            if (Math.Abs(g[k]) > 1e-4) checkedEntries++;
            if (Math.Abs(fd - firstOrder[k]) > 3 * tolerance) corrected++;
        }
        Assert.True(checkedEntries >= 6, "too few α entries with a gradient to check");
        Assert.True(corrected >= 6, $"the second-order term changed only {corrected} entries beyond the tolerance");
    }

    /// <summary>A second-order α step moves α and only α: the virtual weight step is undone exactly.</summary>
    [Fact]
    public void SecondOrderAlphaPhaseMovesOnlyAlpha()
    {
        var d = DnisData.Communities();
        var inputs = DnisData.Inputs(d);
        using var model = Mf(Dnis() with { SecondOrder = true, UnrolledLearningRate = 0.5 }, Dnis() with { SecondOrder = true }).Create(inputs, 5);
        var options = new TrainerOptions { BatchSize = 16, Reg = 1e-4 };
        using var optimizers = new Optimizers(model.ParameterGroups(options));
        var phases = model.Phases(inputs, options);
        Assert.Equal(3, phases.Count);
        var rng = new Xoshiro256(1);
        foreach (var phase in phases.Skip(1))
        {
            var before = State(model);
            Assert.True(phase.Begin(ref rng) > 0);
            Step(phase, optimizers[phase.Optimizer]);
            phase.End();
            var after = State(model);
            string moved = phase.Optimizer["dnis-".Length..].TrimEnd('s') + "_table.alpha"; // dnis-users → user_table.alpha
            Assert.Contains(moved, before.Keys);
            foreach (var (name, values) in before)
                if (name == moved) Assert.NotEqual(values, after[name]);
                else Assert.Equal(values, after[name]);
        }
        Assert.Equal(nameof(DnisTableSpec.UnrolledLearningRate),
            Assert.Throws<ArgumentOutOfRangeException>(() => (Dnis() with { UnrolledLearningRate = 0.1 }).Validate()).ParamName);
    }

    /// <summary>
    /// One SGD step of α moves it by exactly lr × the normalised gradient: per block, every row's mean |Δα| is lr; over
    /// all of α, ‖Δα‖ is lr. (α starts inside (0, 1) so the clamp does not cut the step.)
    /// </summary>
    [Theory]
    [InlineData(DnisGradientNorm.PerBlock)]
    [InlineData(DnisGradientNorm.Global)]
    public void SgdStepsAlphaByTheNormalisedGradient(DnisGradientNorm norm)
    {
        var d = DnisData.Communities();
        var inputs = DnisData.Inputs(d);
        const double lr = 1e-3;
        using var model = Mf(new FullTableSpec(), Dnis(blocks: 3) with { AlphaOptimizer = OptimizerKind.Sgd, GradientNorm = norm, AlphaLearningRate = lr }).Create(inputs, 5);
        var table = (DnisTable)model.Module.named_children().First(c => c.name == "item_table").module;
        using (no_grad()) table.Alpha.uniform_(0.3, 0.9);
        var options = new TrainerOptions { BatchSize = 16, Reg = 1e-4 };
        using var optimizers = new Optimizers(model.ParameterGroups(options));
        var phase = model.Phases(inputs, options)[1];
        Assert.IsType<TorchSharp.Modules.SGD>(optimizers[phase.Optimizer]);
        var rng = new Xoshiro256(1);
        phase.Begin(ref rng);
        var before = table.AlphaValues();
        Step(phase, optimizers[phase.Optimizer]);
        var after = table.AlphaValues();
        var delta = before.Zip(after, (b, a) => (double)a - b).ToArray();
        if (norm == DnisGradientNorm.PerBlock)
            for (int b = 0; b < 3; b++)
                Assert.Equal(lr, delta.Skip(b * 4).Take(4).Average(Math.Abs), 6);
        else
            Assert.Equal(lr, Math.Sqrt(delta.Sum(x => x * x)), 6);
    }

    private sealed class NoModel : IBprModel
    {
        public Tensor BprLoss(BprBatch batch, double reg) => throw new InvalidOperationException("not called");
    }
}
