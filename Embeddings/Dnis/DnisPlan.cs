using System.Text.Json;
using Recsys.Training;

namespace Recsys.Embeddings.Dnis;

/// <summary>
/// What a DNIS run's stages share beyond the search's own record (which trains with no evaluation and the search's
/// epochs only): the total epochs, the search's share of them, fine-tuning's evaluation period and patience, and the
/// metric its evaluations choose epochs on (null without evaluation), and, for a run pruned from another run's search
/// (<see cref="DnisTraining.FromSearch"/>), the pruning target that replaces the search's own and whether the pruned
/// model is retrained from a fresh start for all <see cref="Epochs"/> (<see cref="Retrain"/>) rather than fine-tuned for
/// the epochs the search leaves. Written to <c>RUN/dnis-plan.json</c> before the search starts.
/// </summary>
public sealed record DnisPlan(int Epochs, int SearchEpochs, int EvalEvery, int Patience, string? PrimaryMetric = null, DnisTarget? Target = null, bool Retrain = false)
{
    public static DnisPlan Of(TrainerOptions options, int searchEpochs, string? primaryMetric) =>
        new(options.Epochs, searchEpochs, options.EvalEvery, options.Patience, options.EvalEvery > 0 ? primaryMetric : null);

    /// <summary>Writes the plan into <paramref name="runDir"/>; returns the file's path.</summary>
    public string Write(string runDir)
    {
        var path = Path.Combine(runDir, DnisTraining.PlanFile);
        Recsys.IO.AtomicFile.WriteAllText(path, JsonSerializer.Serialize(this));
        return path;
    }

    /// <summary>Reads the plan of <paramref name="runDir"/>; a missing or malformed file is an error naming it.</summary>
    public static DnisPlan Read(string runDir)
    {
        var path = Path.Combine(runDir, DnisTraining.PlanFile);
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: not a DNIS run stopped in its search (no plan file).", path);
        try
        {
            var plan = JsonSerializer.Deserialize<DnisPlan>(File.ReadAllText(path));
            if (plan is null || plan.SearchEpochs < 1 || plan.Epochs < 1 || !plan.Retrain && plan.Epochs <= plan.SearchEpochs || plan.EvalEvery < 0 || plan.Patience < 0) throw new JsonException("values out of range");
            return plan;
        }
        catch (JsonException e) { throw new InvalidDataException($"{path}: not a DNIS plan ({e.Message}).", e); }
    }
}

/// <summary>
/// A pruning target: a parameter budget (fraction of the full table, in (0, 1]) or an α-scaled magnitude threshold,
/// and the columns every block keeps (null: the search's <see cref="DnisTableSpec.MinWidth"/>).
/// </summary>
public sealed record DnisTarget(double? Budget, double? Threshold, int? MinWidth = null)
{
    /// <summary>The DNIS table spec pruned to this target instead of its own.</summary>
    public DnisTableSpec Apply(DnisTableSpec spec)
    {
        var applied = spec with { Budget = Budget, Threshold = Threshold, MinWidth = MinWidth ?? spec.MinWidth };
        applied.Validate();
        return applied;
    }
}
