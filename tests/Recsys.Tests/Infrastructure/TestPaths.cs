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

    /// <summary>
    /// This test process's temp root. Removed at exit when the host exits normally; vstest often kills its test host
    /// instead, so each run also removes the roots earlier runs left behind (older than two hours, so a concurrent
    /// run's folders are kept) — test runs do not pile up in /tmp.
    /// </summary>
    private static readonly Lazy<string> RunRoot = new(() =>
    {
        var parent = Path.Combine(Path.GetTempPath(), "recsys-tests");
        Directory.CreateDirectory(parent);
        foreach (var old in new DirectoryInfo(parent).EnumerateDirectories())
            if (old.LastWriteTimeUtc < DateTime.UtcNow.AddHours(-2))
                try { old.Delete(recursive: true); } catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        var root = Path.Combine(parent, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try { Directory.Delete(root, recursive: true); } catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        };
        return root;
    });

    /// <summary>A fresh empty temp folder, unique per call, under this process's temp root.</summary>
    public static string NewTempDir()
    {
        var d = Path.Combine(RunRoot.Value, Guid.NewGuid().ToString("N"));
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
