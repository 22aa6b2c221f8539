using Recsys.Models;
using Recsys.Training;

namespace Recsys.Embeddings.Dnis;

/// <summary>
/// Training a model whatever its tables: a model with a DNIS table searches, prunes and fine-tunes
/// (<see cref="DnisTraining"/>); any other trains once with the <see cref="Trainer"/>. The CLI and the quickstart both
/// train through here, so a DNIS table behaves the same wherever a model is trained.
/// </summary>
public static class TableSearchTraining
{
    /// <summary>Trains <paramref name="options"/> into <paramref name="runDir"/>; the parameters are those of <see cref="Trainer.Train"/>.</summary>
    /// <param name="trainer">The trainer (catalog, validation scorer, progress).</param>
    /// <param name="inputs">The model's inputs.</param>
    /// <param name="options">The model.</param>
    /// <param name="trainerOptions">Trainer settings; with a DNIS table the epochs count search and fine-tuning together.</param>
    /// <param name="runDir">The run folder.</param>
    /// <param name="cancel">Cancels training (a checkpoint is written).</param>
    /// <param name="command">The command line, recorded in run.json.</param>
    public static TrainingResult Train(Trainer trainer, ModelInputs inputs, ModelOptions options, TrainerOptions trainerOptions, string runDir,
                                       CancellationToken cancel = default, string? command = null) =>
        DnisTraining.Searches(options)
            ? DnisTraining.Train(trainer, inputs, options, trainerOptions, runDir, cancel, command)
            : trainer.Train(inputs, options, trainerOptions, runDir, cancel, command);
}
