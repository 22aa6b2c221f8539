using Recsys.Data;
using Recsys.Tables;
using Recsys.Training;
using Recsys.Training.Objectives;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Recsys.Models;

/// <summary>
/// How SASRec, the two-tower model and GRank take their item table from <see cref="ModelOptions.ItemTable"/>, as the
/// graph models do. <see cref="FullTableSpec"/> (the default) keeps each model's own full table — the parameter,
/// initialisation and checkpoint keys it always had (SASRec and GRank: a Glorot [NumItems + 1, Dim] matrix with a
/// padding row; the two-tower model: Glorot [NumItems, Dim]), so runs and checkpoints made before are unchanged; the
/// spec's Init and Std do not apply to it. Any other kind is built by the registry over the items and held by the
/// model as its <c>item_table</c> field (the checkpoint key DNIS pruning looks for), with padding handled by
/// <see cref="SequenceItems"/>. A table that trains parameters of its own (<see cref="ITableObjective"/>, DNIS's α)
/// gets its groups and its phases over the model's held-out objective.
/// </summary>
public static class SequentialItemTable
{
    /// <summary>The model's registry item table, or null for the default full table the network owns.</summary>
    /// <param name="options">The model's options (dimension, item table spec).</param>
    /// <param name="inputs">The model's inputs (hashed and DNIS tables derive maps and blocks from them).</param>
    /// <param name="seed">Seed of the table's weights and hash functions.</param>
    public static EmbeddingTable? Create(ModelOptions options, ModelInputs inputs, ulong seed) =>
        options.ItemTable is FullTableSpec ? null : options.ItemTable.Create(TableContext.For(inputs, TableSide.Items, options.Dim, seed));

    /// <summary>The table's rows and parameters: a registry table's own count, else the network's padded table (<paramref name="ownParameters"/>).</summary>
    public static TableRows Rows(EmbeddingTable? table, int numItems, long ownParameters) => table is null
        ? new TableRows(0, numItems, 0, numItems) { UserParameters = 0, ItemParameters = ownParameters }
        : new TableRows(0, table.Rows, 0, numItems) { UserParameters = 0, ItemParameters = table.Parameters };

    /// <summary>Every parameter of <paramref name="model"/> but the table's own at the trainer's rate, then the table's own groups.</summary>
    public static IReadOnlyList<ParameterGroup> ParameterGroups(nn.Module model, EmbeddingTable? table, TrainerOptions options)
    {
        if (table is not ITableObjective t) return [new(ParameterGroup.Default, model.parameters().ToArray(), options.LearningRate)];
        return [new(ParameterGroup.Default, ModelWeights.Besides(model, [t]), options.LearningRate), .. t.ParameterGroups("items", options)];
    }

    /// <summary>
    /// The table's phases (none for a plain table), each over <paramref name="heldOut"/>: the model's objective on
    /// the (training history → held-out item) examples of an interaction matrix (the validation split for DNIS),
    /// stepping a named group under the given trainer options; <paramref name="training"/> makes a fresh instance of
    /// the model's training phase.
    /// </summary>
    public static IEnumerable<ITrainingPhase> Phases(nn.Module model, EmbeddingTable? table, Func<ITrainingPhase> training,
        Func<InteractionMatrix, string, TrainerOptions, ITrainingPhase> heldOut, ModelInputs inputs, TrainerOptions options)
    {
        if (table is not ITableObjective t) return [];
        return t.Phases(new TablePhaseContext("items", heldOut, training, ModelWeights.Besides(model, [t]), inputs, options));
    }

    /// <summary>Throws naming UserTable when it is not full: these models take no user table from the registry.</summary>
    public static void RequireFullUserTable(ModelOptions options, string model, string why)
    {
        if (options.UserTable is not FullTableSpec)
            throw new ArgumentOutOfRangeException(nameof(ModelOptions.UserTable), options.UserTable.GetType().Name, $"{model} {why}; only the default (full) user table is accepted.");
    }
}
