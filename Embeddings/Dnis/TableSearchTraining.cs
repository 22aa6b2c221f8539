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

    /// <summary>
    /// Resumes the run in <paramref name="runDir"/>, whatever its stage: a DNIS run stopped in its search finishes it,
    /// prunes and fine-tunes; any other run (a DNIS fine-tuning run included) continues with the <see cref="Trainer"/>.
    /// <paramref name="epochs"/>, when given, is the new total (for DNIS, search epochs included).
    /// </summary>
    public static TrainingResult Resume(Trainer trainer, ModelInputs inputs, string runDir, int? epochs = null, CancellationToken cancel = default, int? torchThreads = null) =>
        DnisTraining.InSearch(runDir)
            ? DnisTraining.ResumeSearch(trainer, inputs, runDir, epochs, cancel, torchThreads)
            : trainer.Resume(inputs, runDir, DnisTraining.ResumedEpochs(runDir, epochs), cancel, torchThreads);

    /// <summary>
    /// How the run in <paramref name="runDir"/> evaluates once resumed — every how many epochs, and on which metric (null
    /// when it does not) — from its record, or from its plan when it is a DNIS run stopped in its search.
    /// </summary>
    public static (int EvalEvery, string? PrimaryMetric) ResumedEvaluation(string runDir, Recsys.Catalog.RecsysCatalog catalog)
    {
        if (DnisTraining.InSearch(runDir)) { var plan = DnisPlan.Read(runDir); return (plan.EvalEvery, plan.PrimaryMetric); }
        var record = new RunFolder(runDir).ReadRecord(catalog);
        return (record.Trainer.EvalEvery, record.PrimaryMetric);
    }
}
