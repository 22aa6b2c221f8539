using TorchSharp.Modules;

namespace Recsys.Training.Objectives;

/// <summary>
/// Parameters one optimizer steps (Adam unless <paramref name="Kind"/> says otherwise), with its learning rate. A
/// model's phases name the group they step, so a model can train its weights on training batches and, say, DNIS's
/// dimension weights on validation batches. The first group's optimizer state is checkpointed as
/// <c>optimizer.bin</c>, others as <c>optimizer.NAME.bin</c>.
/// </summary>
public sealed record ParameterGroup(string Name, IReadOnlyList<Parameter> Parameters, double LearningRate, OptimizerKind Kind = OptimizerKind.Adam)
{
    /// <summary>The group every single-optimizer model uses.</summary>
    public const string Default = "model";
}

/// <summary>The optimizer of a <see cref="ParameterGroup"/>.</summary>
public enum OptimizerKind
{
    /// <summary>Adam (β 0.9, 0.999; ε 1e-8).</summary>
    Adam,
    /// <summary>Plain SGD: p ← p − lr·grad (no momentum, no weight decay).</summary>
    Sgd,
}
