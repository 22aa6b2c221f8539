using Recsys.Training.Objectives;

namespace Recsys.Training;

/// <summary>One <see cref="Adam"/> per <see cref="ParameterGroup"/> of a model, looked up by group name; the first is the default group's.</summary>
public sealed class Optimizers : IDisposable
{
    private readonly List<(string Name, Adam Optimizer)> _all = new();
    private readonly Dictionary<string, double> _baseRates = new();

    public Optimizers(IReadOnlyList<ParameterGroup> groups)
    {
        if (groups.Count == 0) throw new ArgumentException("a model needs at least one parameter group.", nameof(groups));
        foreach (var g in groups)
        {
            if (_all.Any(o => o.Name == g.Name)) throw new ArgumentException($"parameter group '{g.Name}' is listed twice.", nameof(groups));
            if (!(g.LearningRate > 0) || !double.IsFinite(g.LearningRate))
                throw new ArgumentOutOfRangeException(nameof(groups), g.LearningRate, $"parameter group '{g.Name}': the learning rate must be positive and finite.");
            _all.Add((g.Name, new Adam(g.Parameters, g.LearningRate)));
            _baseRates[g.Name] = g.LearningRate;
        }
    }

    /// <summary>Groups in the model's order, the first being the one saved as optimizer.bin.</summary>
    public IReadOnlyList<(string Name, Adam Optimizer)> All => _all;

    public Adam this[string name] => _all.FirstOrDefault(o => o.Name == name).Optimizer
        ?? throw new KeyNotFoundException($"no parameter group '{name}' (have: {string.Join(", ", _all.Select(o => o.Name))}).");

    /// <summary>Sets the group <paramref name="name"/>'s rate to its base rate × <paramref name="factor"/> (a schedule's step).</summary>
    public void Scale(string name, double factor) => this[name].SetLearningRate(_baseRates[name] * factor);

    /// <summary>Fails early when a phase names a group the model did not declare.</summary>
    public void Check(ITrainingPhase phase) => _ = this[phase.Optimizer];

    public void Dispose()
    {
        foreach (var (_, o) in _all) o.Dispose();
    }
}
