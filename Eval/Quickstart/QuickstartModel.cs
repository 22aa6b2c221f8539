using Recsys.Catalog;
using Recsys.Data;
using Recsys.Training;

namespace Recsys.Eval.Quickstart;

/// <summary>
/// The model a new user can serve without training anything themselves: the quickstart's LightGCN run over its
/// synthetic data (<c>recsys serve</c> with no <c>--run</c>). Trained once into the quickstart folder, reused after.
/// </summary>
public static class QuickstartModel
{
    /// <summary>The kind served: LightGCN trains in seconds on the synthetic data and needs no side input.</summary>
    public const string Kind = "lightgcn";

    /// <summary>
    /// The quickstart's run and dataset folders under <paramref name="folder"/>, training them first (with
    /// <c>recsys quickstart</c>'s settings, LightGCN only) when the run has no saved model. Training replaces the folder's
    /// previous contents, as <c>recsys quickstart</c> does with its default folder.
    /// </summary>
    /// <returns>The run folder, the dataset folder, and whether this call trained the model.</returns>
    public static (string Run, string Data, bool Trained) Ensure(string folder, RecsysCatalog catalog, IProgress<QuickstartProgress>? progress = null, CancellationToken cancel = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        ArgumentNullException.ThrowIfNull(catalog);
        string run = Path.Combine(folder, "runs", Kind), data = Path.Combine(folder, "data");
        if (IsServable(run, data)) return (run, data, false);
        QuickstartRunner.Run(new QuickstartOptions { OutputFolder = folder, Models = [Kind], Variants = [], ColdItems = 0, Force = true }, catalog, progress, cancel);
        return (run, data, true);
    }

    private static bool IsServable(string run, string data)
    {
        var folder = new RunFolder(run);
        return File.Exists(Path.Combine(data, DatasetFolder.ManifestFile)) && File.Exists(folder.ModelFile) && File.Exists(folder.RunJson);
    }
}
