namespace Recsys.Training;

/// <summary>A training loss became NaN or infinite; the run stops with its last good checkpoint kept and run.json marked "diverged".</summary>
public sealed class TrainingDivergedException(int epoch, string phase, int batch, double loss)
    : Exception($"training diverged: the {phase} loss of batch {batch} in epoch {epoch} is {loss}; the last checkpoint is kept. " +
                "Try a lower learning rate or stronger regularisation, and check the inputs for extreme values.")
{
    public int Epoch { get; } = epoch;
    public string Phase { get; } = phase;
    public int Batch { get; } = batch;
    public double Loss { get; } = loss;
}
