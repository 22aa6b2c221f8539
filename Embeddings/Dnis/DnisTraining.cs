using Recsys.Models;
using Recsys.Tables;
using Recsys.Training;
using static TorchSharp.torch;

namespace Recsys.Embeddings.Dnis;

/// <summary>
/// DNIS end to end, as one library call over the one <see cref="Trainer"/>: (1) the search — the model with its DNIS
/// table(s) trains for warm-up + search epochs into <c>RUN/search</c> (α on validation batches, no evaluation);
/// (2) pruning — each DNIS table's α-scaled magnitudes choose the columns each frequency block keeps
/// (<see cref="DnisPruning"/>), giving a <see cref="MixedDimensionTableSpec"/>, and the search's weights (the α-scaled
/// rows at the kept columns, every other parameter as it was) are written to <c>RUN/search/pruned.bin</c>;
/// <c>RUN/dnis.json</c> records blocks, α and widths; (3) fine-tuning — the pruned model trains from those weights into
/// <c>RUN</c> for the remaining epochs with the caller's evaluation and early stopping. The total epoch count is the
/// caller's, so DNIS and a plain run of the same epochs compare directly. <c>RUN/dnis-plan.json</c> keeps what the
/// search's own record does not (the total epochs, the evaluation and patience of fine-tuning), so a run interrupted in
/// its search resumes through all three stages (<see cref="ResumeSearch"/>).
/// </summary>
public static class DnisTraining
{
    public const string SearchFolder = "search";
    public const string PrunedWeightsFile = "pruned.bin";
    public const string PlanFile = "dnis-plan.json";

    /// <summary>Whether <paramref name="options"/> has a DNIS table on either side.</summary>
    public static bool Searches(ModelOptions options) => options.UserTable is DnisTableSpec || options.ItemTable is DnisTableSpec;

    /// <summary>Search, prune and fine-tune <paramref name="options"/> (which has a DNIS table) into the new run folder <paramref name="runDir"/>.</summary>
    /// <param name="trainer">The trainer (catalog, validation scorer, progress) both stages run on.</param>
    /// <param name="inputs">The model's inputs; they need a validation split.</param>
    /// <param name="options">The model with DNIS table specs.</param>
    /// <param name="trainerOptions">Trainer settings; <see cref="TrainerOptions.Epochs"/> counts search and fine-tuning together.</param>
    /// <param name="runDir">The run folder to create (the search goes to its <c>search</c> subfolder).</param>
    /// <param name="cancel">Cancels either stage (its checkpoint is written).</param>
    /// <param name="command">The command line, recorded in run.json.</param>
    public static TrainingResult Train(Trainer trainer, ModelInputs inputs, ModelOptions options, TrainerOptions trainerOptions, string runDir,
                                       CancellationToken cancel = default, string? command = null)
    {
        options.Validate();
        trainerOptions.Validate();
        var sides = Sides(options).ToList();
        if (sides.Count == 0) throw new ArgumentException("neither table of the model is a DNIS table.", nameof(options));
        foreach (var (_, _, spec) in sides) spec.Validate();
        int searchEpochs = sides.Max(s => s.Spec.TotalSearchEpochs);
        if (trainerOptions.Epochs <= searchEpochs)
            throw new ArgumentOutOfRangeException(nameof(TrainerOptions.Epochs), trainerOptions.Epochs,
                $"the DNIS search takes {searchEpochs} epochs (warm-up + search); the total must leave at least one epoch to fine-tune the pruned model.");
        if (inputs.Valid is null)
            throw new InvalidDataException($"{inputs.DataName}: DNIS steps α on validation batches, but the data has no validation split (valid.arrow); carve one from training with `recsys data split`.");
        var run = new RunFolder(runDir);
        if (run.HasRecord) throw new IOException($"{run.Path}: already holds a run; choose another folder.");
        string searchDir = Path.Combine(run.Path, SearchFolder);

        bool created = !Directory.Exists(run.Path);
        Directory.CreateDirectory(run.Path);
        var plan = DnisPlan.Of(trainerOptions, searchEpochs, trainer.PrimaryMetric).Write(run.Path);
        TrainingResult search;
        try { search = trainer.Train(inputs, options, trainerOptions with { Epochs = searchEpochs, EvalEvery = 0, Patience = 0 }, searchDir, cancel, command); }
        catch when (!Directory.Exists(searchDir))
        {
            // Refused before the search began: leave nothing behind.
            File.Delete(plan);
            if (created) Directory.Delete(run.Path);
            throw;
        }
        if (search.Cancelled) return search;
        return PruneAndTrain(trainer, inputs, options, trainerOptions, run.Path, searchEpochs, retrain: false, cancel, command);
    }

    /// <summary>Whether <paramref name="runDir"/> is a DNIS run stopped before fine-tuning began (its search resumes with <see cref="ResumeSearch"/>).</summary>
    public static bool InSearch(string runDir) => !new RunFolder(runDir).HasRecord && File.Exists(Path.Combine(runDir, PlanFile));

    /// <summary>
    /// Resumes a DNIS run stopped in its search (<see cref="InSearch"/>): the search from its checkpoint, exactly, then
    /// pruning and fine-tuning as <see cref="Train"/> does. <paramref name="epochs"/>, when given, is the new total.
    /// </summary>
    public static TrainingResult ResumeSearch(Trainer trainer, ModelInputs inputs, string runDir, int? epochs = null, CancellationToken cancel = default, int? torchThreads = null)
    {
        var plan = DnisPlan.Read(runDir);
        int total = epochs ?? plan.Epochs;
        CheckTotal(total, plan.SearchEpochs, plan.Retrain);
        var search = trainer.Resume(inputs, Path.Combine(runDir, SearchFolder), plan.SearchEpochs, cancel, torchThreads);
        if (search.Cancelled) return search;
        var options = search.Record.Trainer with { Epochs = total, EvalEvery = plan.EvalEvery, Patience = plan.Patience };
        var model = plan.Target is { } target ? Retarget(search.Record.Model, target) : search.Record.Model;
        return PruneAndTrain(trainer, inputs, model, options, runDir, plan.SearchEpochs, plan.Retrain, cancel, search.Record.Command);
    }

    /// <summary>
    /// Prunes the finished search of the DNIS run <paramref name="sourceRun"/> to another <paramref name="target"/>
    /// (every DNIS table of the model) and fine-tunes, into the new run folder <paramref name="runDir"/>: the search
    /// does not depend on the target, so one search serves every budget. The search is copied (with its checkpoint, so
    /// the new run resumes as any DNIS run); epochs, evaluation, seed and the rest are the source's, and
    /// <paramref name="epochs"/> may change the total. The source run is only read.
    /// With <paramref name="retrain"/>, the pruned model starts from a fresh initialisation (the run's seed) instead of
    /// the search's weights and trains the whole total — the search's epochs come on top — so the widths the search
    /// chose are compared with a uniform width trained as long (DNIS's "retrain" as against "fine-tune").
    /// </summary>
    public static TrainingResult FromSearch(Trainer trainer, ModelInputs inputs, string sourceRun, DnisTarget target, string runDir, int? epochs = null,
                                            CancellationToken cancel = default, string? command = null, bool retrain = false)
    {
        var plan = SearchPlan(sourceRun, trainer.Catalog);
        var searchRun = new RunFolder(Path.Combine(sourceRun, SearchFolder));
        if (!searchRun.HasRecord) throw new FileNotFoundException($"{searchRun.RunJson}: the DNIS run has no search record.", searchRun.RunJson);
        var search = searchRun.ReadRecord(trainer.Catalog);
        if (search.Status != RunStatus.Completed || search.SavedEpoch < plan.SearchEpochs)
            throw new InvalidOperationException($"{searchRun.Path}: the search is {search.Status} at epoch {search.SavedEpoch} of {plan.SearchEpochs}; finish it first (recsys train --resume {sourceRun}).");
        search.Data.CheckSameData(DataFingerprint.Of(inputs), searchRun.Path);
        int total = epochs ?? plan.Epochs;
        CheckTotal(total, plan.SearchEpochs, retrain);
        var model = Retarget(search.Model, target);
        var run = new RunFolder(runDir);
        if (Directory.Exists(run.Path) && Directory.EnumerateFileSystemEntries(run.Path).Any())
            throw new IOException($"{run.Path}: the folder exists and is not empty; choose a new one.");

        var options = search.Trainer with { Epochs = total, EvalEvery = plan.EvalEvery, Patience = plan.Patience };
        try
        {
            CopySearch(searchRun.Path, Path.Combine(run.Path, SearchFolder));
            (plan with { Epochs = total, Target = target, Retrain = retrain }).Write(run.Path);
            return PruneAndTrain(trainer, inputs, model, options, run.Path, plan.SearchEpochs, retrain, cancel, command ?? search.Command);
        }
        catch when (!run.HasRecord)
        {
            // Refused before fine-tuning began (e.g. a pruned table no smaller than its hashed inner one): the folder
            // was empty or absent, so nothing of the caller's is lost.
            Directory.Delete(run.Path, recursive: true);
            throw;
        }
    }

    /// <summary>
    /// The plan of the DNIS run <paramref name="run"/> (epochs, evaluation): its plan file, or, for a finished run
    /// written before runs kept one, what its fine-tuning record and <c>dnis.json</c> say. Anything else is an error
    /// saying it is no DNIS run.
    /// </summary>
    public static DnisPlan SearchPlan(string run, Recsys.Catalog.RecsysCatalog catalog)
    {
        if (File.Exists(Path.Combine(run, PlanFile))) return DnisPlan.Read(run);
        var folder = new RunFolder(run);
        if (folder.HasRecord && File.Exists(Path.Combine(run, DnisRecord.FileName)))
        {
            var tuned = folder.ReadRecord(catalog);
            int searchEpochs = DnisRecord.Read(run).SearchEpochs;
            return new DnisPlan(searchEpochs + tuned.Trainer.Epochs, searchEpochs, tuned.Trainer.EvalEvery, tuned.Trainer.Patience, tuned.PrimaryMetric);
        }
        var path = Path.Combine(run, PlanFile);
        throw new FileNotFoundException($"{path}: {run} is not a DNIS run (no plan file, and no finished run with a dnis.json).", path);
    }

    /// <summary><paramref name="options"/> with every DNIS table pruned to <paramref name="target"/>.</summary>
    private static ModelOptions Retarget(ModelOptions options, DnisTarget target)
    {
        if (!Searches(options)) throw new ArgumentException("neither table of the model is a DNIS table.", nameof(options));
        var o = options;
        if (o.UserTable is DnisTableSpec u) o = o with { UserTable = target.Apply(u) };
        if (o.ItemTable is DnisTableSpec i) o = o with { ItemTable = target.Apply(i) };
        return o;
    }

    // The search's files (weights, record, checkpoint), not the weights pruned from it for another target.
    private static void CopySearch(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(from, file);
            if (relative == PrunedWeightsFile) continue;
            var target = Path.Combine(to, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    /// <summary>
    /// The epochs to resume the run in <paramref name="runDir"/> with, given a new <paramref name="total"/>: a DNIS
    /// fine-tuning run (it has a dnis.json) trains the total less its search's epochs; any other run, a retrained one
    /// included, the total.
    /// </summary>
    internal static int? ResumedEpochs(string runDir, int? total) =>
        total is { } n && File.Exists(Path.Combine(runDir, DnisRecord.FileName)) && DnisRecord.Read(runDir) is { Retrained: false } r ? n - r.SearchEpochs : total;

    // A fine-tuned run's total counts the search's epochs and must leave one after them; a retrained run's does not.
    private static void CheckTotal(int total, int searchEpochs, bool retrain)
    {
        if (!retrain && total <= searchEpochs)
            throw new ArgumentOutOfRangeException(nameof(TrainerOptions.Epochs), total,
                $"the DNIS search takes {searchEpochs} epochs; the total must leave at least one epoch to fine-tune the pruned model.");
    }

    // Prunes the finished search in RUN/search and trains the pruned model into RUN: fine-tuned from the search's weights
    // for the epochs the search left, or retrained from a fresh start for the whole total.
    private static TrainingResult PruneAndTrain(Trainer trainer, ModelInputs inputs, ModelOptions options, TrainerOptions total, string runDir,
                                                int searchEpochs, bool retrain, CancellationToken cancel, string? command)
    {
        var searchDir = Path.Combine(runDir, SearchFolder);
        if (retrain)
        {
            var (fresh, kept) = Widths(inputs, options, total.Seed, searchDir, searchEpochs);
            (kept with { Retrained = true }).Write(runDir);
            return trainer.Train(inputs, fresh, total with { InitialWeights = null }, runDir, cancel, command);
        }
        var (tuned, record, pruned) = Prune(inputs, options, total.Seed, searchDir, searchEpochs);
        record.Write(runDir);
        return trainer.Train(inputs, tuned, total with { Epochs = total.Epochs - searchEpochs, InitialWeights = pruned }, runDir, cancel, command);
    }

    /// <summary>
    /// What pruning the finished search in <paramref name="searchDir"/> keeps — the model's options with mixed-dimension
    /// tables in place of the DNIS ones, and the record of it — without the search's weights (a retrain's start).
    /// </summary>
    /// <param name="inputs">The inputs the search trained on.</param>
    /// <param name="options">The searched model's options.</param>
    /// <param name="seed">The run's seed.</param>
    /// <param name="searchDir">The search run folder.</param>
    /// <param name="searchEpochs">Epochs the search ran (recorded).</param>
    public static (ModelOptions Tuned, DnisRecord Record) Widths(ModelInputs inputs, ModelOptions options, ulong seed, string searchDir, int searchEpochs)
    {
        using var searched = options.Create(inputs, seed);
        new RunFolder(searchDir).LoadModel(searched.Module);
        var (tuned, record, _) = Select(searched, options, searchEpochs);
        return (tuned, record);
    }

    /// <summary>
    /// Prunes the finished search run in <paramref name="searchDir"/>: the fine-tuning model's options (mixed-dimension
    /// tables in place of the DNIS ones), what was kept, and the file of its starting weights.
    /// </summary>
    /// <param name="inputs">The inputs the search trained on.</param>
    /// <param name="options">The searched model's options.</param>
    /// <param name="seed">The run's seed.</param>
    /// <param name="searchDir">The search run folder.</param>
    /// <param name="searchEpochs">Epochs the search ran (recorded).</param>
    public static (ModelOptions Tuned, DnisRecord Record, string PrunedWeights) Prune(ModelInputs inputs, ModelOptions options, ulong seed, string searchDir, int searchEpochs)
    {
        using var searched = options.Create(inputs, seed);
        new RunFolder(searchDir).LoadModel(searched.Module);
        var (tuned, record, tables) = Select(searched, options, searchEpochs);

        using var model = tuned.Create(inputs, seed);
        var from = searched.Module.state_dict();
        using (no_grad())
            foreach (var (name, t) in model.Module.state_dict())
                if (from.TryGetValue(name, out var s) && s.shape.SequenceEqual(t.shape)) t.copy_(s);
        var tunedChildren = model.Module.named_children().ToDictionary(c => c.name, c => c.module);
        foreach (var (field, table) in tables) ((MixedDimensionTable)tunedChildren[field]).SetFrom(table.ScaledRows());
        var file = Path.Combine(Path.GetFullPath(searchDir), PrunedWeightsFile);
        model.Module.save(file);
        return (tuned, record, file);
    }

    // The kept columns of every DNIS table of the loaded search model.
    private static (ModelOptions Tuned, DnisRecord Record, List<(string Field, DnisTable Table)> Tables) Select(IRecommenderModel searched, ModelOptions options, int searchEpochs)
    {
        var children = searched.Module.named_children().ToDictionary(c => c.name, c => c.module);
        var tuned = options;
        var records = new List<DnisSideRecord>();
        var tables = new List<(string Field, DnisTable Table)>();
        foreach (var (side, field, spec) in Sides(options))
        {
            if (!children.TryGetValue(field, out var m) || m is not DnisTable table)
                throw new InvalidOperationException($"model '{searched.Kind}' keeps its {side} table elsewhere than its '{field}' field; DNIS pruning cannot find it.");
            var scores = table.Scores();
            var sizes = Enumerable.Range(0, table.Blocks.Blocks).Select(table.Blocks.Size).ToArray();
            long full = (long)table.Count * table.Dim;
            int[][] kept = spec.Budget is { } budget
                ? DnisPruning.ToBudget(scores, sizes, table.Dim, (long)Math.Floor(budget * full), spec.MinWidth)
                : DnisPruning.ToThreshold(scores, sizes.Length, table.Dim, spec.Threshold!.Value, spec.MinWidth);
            long keptParameters = DnisPruning.Parameters(kept, sizes);
            if (spec.Inner is not FullTableSpec && keptParameters >= table.Inner.Parameters)
                throw new ArgumentOutOfRangeException(nameof(DnisTableSpec.Budget), spec.Budget,
                    $"the pruned {side} table stores one row per id ({keptParameters} scalars), no fewer than the inner table's {table.Inner.Parameters}; lower the budget.");
            var mixed = new MixedDimensionTableSpec(spec.Fractions, kept);
            tuned = side == "users" ? tuned with { UserTable = mixed } : tuned with { ItemTable = mixed };
            var alpha = table.AlphaValues();
            records.Add(new DnisSideRecord(side, spec.Fractions, sizes, table.Dim, Rows(alpha, table.Dim), Rows(scores, table.Dim), kept,
                spec.Budget, spec.Threshold, full, keptParameters));
            tables.Add((field, table));
        }
        return (tuned, new DnisRecord(SearchFolder, searchEpochs, records), tables);
    }

    private static IEnumerable<(string Side, string Field, DnisTableSpec Spec)> Sides(ModelOptions o)
    {
        if (o.UserTable is DnisTableSpec u) yield return ("users", "user_table", u);
        if (o.ItemTable is DnisTableSpec i) yield return ("items", "item_table", i);
    }

    private static float[][] Rows(float[] values, int dim) => Enumerable.Range(0, values.Length / dim).Select(r => values.AsSpan(r * dim, dim).ToArray()).ToArray();
}
