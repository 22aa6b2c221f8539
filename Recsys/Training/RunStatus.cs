namespace Recsys.Training;

/// <summary>The values of <see cref="RunRecord.Status"/>.</summary>
public static class RunStatus
{
    public const string Running = "running";
    public const string Completed = "completed";
    public const string EarlyStopped = "early-stopped";
    public const string Cancelled = "cancelled";
    /// <summary>A loss became non-finite (<see cref="TrainingDivergedException"/>).</summary>
    public const string Diverged = "diverged";
}
