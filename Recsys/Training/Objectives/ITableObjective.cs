using Recsys.Data;
using TorchSharp.Modules;

namespace Recsys.Training.Objectives;

/// <summary>
/// An embedding table that trains some of its parameters apart from the model's weights, on its own schedule: it
/// declares them (<see cref="OwnParameters"/>, left out of the model's default group), the groups whose optimizers step
/// them, and the phases that do, built over the model's own objective (<see cref="TablePhaseContext.Objective"/>).
/// DNIS's dimension weights α, stepped on validation batches, are the case this exists for: a model that consults its
/// tables (the BPR graph models do) gets the bi-level search without knowing about it.
/// </summary>
public interface ITableObjective
{
    /// <summary>Parameters stepped by the table's own groups only (never by the model's default group).</summary>
    IReadOnlyList<Parameter> OwnParameters { get; }

    /// <summary>The table's parameter groups (names unique within a model: prefix them with <see cref="TablePhaseContext.Side"/>).</summary>
    IReadOnlyList<ParameterGroup> ParameterGroups(string side, TrainerOptions options);

    /// <summary>The phases that step the table's groups, run after the model's own phases each epoch.</summary>
    IReadOnlyList<ITrainingPhase> Phases(TablePhaseContext context);
}

/// <summary>
/// What a table gets to build its phases: the side it serves ("users" or "items"); the model's objective as a phase
/// over any interaction matrix stepping a named group under given trainer options (a BPR model: BPR pairs drawn from
/// that matrix, with the options' batch size, negatives and L2 weight; a table passes <see cref="Options"/>, changed
/// where its phase needs it); a fresh instance of the model's training phase (its own batches, for a phase that also
/// needs training batches, as DNIS's second-order search does); the weights the model's own phases step (every
/// parameter outside the tables' own groups); the model's inputs (the validation split among them) and the trainer's
/// options.
/// </summary>
public sealed record TablePhaseContext(string Side, Func<InteractionMatrix, string, TrainerOptions, ITrainingPhase> Objective,
    Func<ITrainingPhase> Training, IReadOnlyList<Parameter> Weights, Models.ModelInputs Inputs, TrainerOptions Options);
