namespace Recsys.Tests.Infrastructure;

/// <summary>Locates the repository root and the shared datasets folder (RECSYS_DATASETS or ../shared/datasets next to the repo).</summary>
public static class TestPaths
{
    public static string RepoRoot { get; } = FindRoot();

    public static string DatasetsRoot { get; } =
        Environment.GetEnvironmentVariable("RECSYS_DATASETS") is { Length: > 0 } env
            ? env
            : Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", "datasets"));

    /// <summary>Full path of a file or folder under the shared datasets, e.g. "gowalla/train.txt".</summary>
    public static string Dataset(string relative) => Path.Combine(DatasetsRoot, relative);

    public static bool HasDataset(string relative) => File.Exists(Dataset(relative)) || Directory.Exists(Dataset(relative));

    /// <summary>A fresh empty temp folder, unique per call.</summary>
    public static string NewTempDir()
    {
        var d = Path.Combine(Path.GetTempPath(), "recsys-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(d);
        return d;
    }

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Recsys.sln"))) dir = dir.Parent;
        return dir?.FullName ?? Directory.GetCurrentDirectory();
    }
}
