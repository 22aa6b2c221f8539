using Recsys.Training.Objectives;
using TorchSharp.Modules;

namespace Recsys.Training;

/// <summary>
/// One optimizer per <see cref="ParameterGroup"/> of a model (<see cref="Adam"/>, or TorchSharp's SGD for
/// <see cref="OptimizerKind.Sgd"/> groups), looked up by group name; the first is the default group's.
/// </summary>
public sealed class Optimizers : IDisposable
{
    private readonly List<(string Name, OptimizerHelper Optimizer)> _all = new();
    private readonly Dictionary<string, double> _baseRates = new();

    public Optimizers(IReadOnlyList<ParameterGroup> groups)
    {
        if (groups.Count == 0) throw new ArgumentException("a model needs at least one parameter group.", nameof(groups));
        foreach (var g in groups)
        {
            if (_all.Any(o => o.Name == g.Name)) throw new ArgumentException($"parameter group '{g.Name}' is listed twice.", nameof(groups));
            if (!(g.LearningRate > 0) || !double.IsFinite(g.LearningRate))
                throw new ArgumentOutOfRangeException(nameof(groups), g.LearningRate, $"parameter group '{g.Name}': the learning rate must be positive and finite.");
            OptimizerHelper optimizer = g.Kind switch
            {
                OptimizerKind.Adam => new Adam(g.Parameters, g.LearningRate),
                OptimizerKind.Sgd => TorchSharp.torch.optim.SGD(g.Parameters, g.LearningRate),
                _ => throw new ArgumentOutOfRangeException(nameof(groups), g.Kind, $"parameter group '{g.Name}': unknown optimizer."),
            };
            _all.Add((g.Name, optimizer));
            _baseRates[g.Name] = g.LearningRate;
        }
    }

    /// <summary>Groups in the model's order, the first being the one saved as optimizer.bin.</summary>
    public IReadOnlyList<(string Name, OptimizerHelper Optimizer)> All => _all;

    public OptimizerHelper this[string name] => _all.FirstOrDefault(o => o.Name == name).Optimizer
        ?? throw new KeyNotFoundException($"no parameter group '{name}' (have: {string.Join(", ", _all.Select(o => o.Name))}).");

    /// <summary>Sets the group <paramref name="name"/>'s rate to its base rate × <paramref name="factor"/> (a schedule's step).</summary>
    public void Scale(string name, double factor)
    {
        double lr = _baseRates[name] * factor;
        if (this[name] is Adam adam) adam.SetLearningRate(lr); // the fused path keeps its own copy
        else foreach (var group in this[name].ParamGroups) group.LearningRate = lr;
    }

    /// <summary>Fails early when a phase names a group the model did not declare.</summary>
    public void Check(ITrainingPhase phase) => _ = this[phase.Optimizer];

    public void Dispose()
    {
        foreach (var (_, o) in _all) o.Dispose();
    }
}
