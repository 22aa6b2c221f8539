using TorchSharp.Modules;

namespace Recsys.Training.Objectives;

/// <summary>
/// Parameters one optimizer (Adam) steps, with its learning rate. A model's phases name the group they step, so a
/// model can train its weights on training batches and, say, DNIS's dimension weights on validation batches.
/// The first group's optimizer state is checkpointed as <c>optimizer.bin</c>, others as <c>optimizer.NAME.bin</c>.
/// </summary>
public sealed record ParameterGroup(string Name, IReadOnlyList<Parameter> Parameters, double LearningRate)
{
    /// <summary>The group every single-optimizer model uses.</summary>
    public const string Default = "model";
}
