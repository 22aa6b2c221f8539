namespace Recsys.Tests.Infrastructure;

/// <summary>A fact that is skipped (not failed) when the shared dataset file or folder it needs is absent.</summary>
public sealed class RequiresDatasetFactAttribute : FactAttribute
{
    public RequiresDatasetFactAttribute(string relativePath)
    {
        if (!TestPaths.HasDataset(relativePath))
            Skip = $"dataset '{relativePath}' not found under {TestPaths.DatasetsRoot}";
    }
}
