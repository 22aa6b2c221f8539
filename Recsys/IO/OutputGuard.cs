namespace Recsys.IO;

/// <summary>
/// Checks an output path before anything is written, so that an output can never replace the inputs it is made from:
/// an output that is an input, contains one (a folder holding an input file) or lies inside one is refused, and an
/// existing output is replaced only when the caller says so. Paths are compared after resolving relative parts and
/// symbolic links. Callers name each path (a CLI passes its flags), and every error names both sides.
/// </summary>
public static class OutputGuard
{
    private static readonly StringComparison PathComparison =
        OperatingSystem.IsLinux() || OperatingSystem.IsFreeBSD() ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;

    /// <summary>
    /// Throws an <see cref="IOException"/> when <paramref name="output"/> is, contains or lies inside one of
    /// <paramref name="inputs"/> (null input paths are skipped).
    /// </summary>
    /// <param name="outputName">What the output is called in the error (e.g. <c>--out</c>).</param>
    /// <param name="output">The file or folder about to be written.</param>
    /// <param name="inputs">Each input's name and path.</param>
    public static void RefuseOverlap(string outputName, string output, params (string Name, string? Path)[] inputs)
    {
        var o = Resolve(output);
        foreach (var (name, path) in inputs)
        {
            if (path is null) continue;
            var i = Resolve(path);
            string? relation = string.Equals(o, i, PathComparison) ? "is"
                : Inside(i, o) ? "contains"
                : Inside(o, i) ? "lies inside"
                : null;
            if (relation is not null)
                throw new IOException($"{outputName} {output} {relation} the input {name} {path}; choose an output outside the inputs.");
        }
    }

    /// <summary>Throws when the file <paramref name="path"/> (or a folder of that name) exists and <paramref name="overwrite"/> is not set.</summary>
    public static void RefuseExistingFile(string outputName, string path, bool overwrite)
    {
        if (Directory.Exists(path)) throw new IOException($"{outputName} {path} is a folder; give a file name.");
        if (File.Exists(path) && !overwrite)
            throw new IOException($"{outputName} {path} already exists; choose another or pass --force.");
    }

    /// <summary>Throws when the folder <paramref name="path"/> exists, is not empty and <paramref name="overwrite"/> is not set (or is a file).</summary>
    public static void RefuseExistingFolder(string outputName, string path, bool overwrite)
    {
        if (File.Exists(path)) throw new IOException($"{outputName} {path} is a file; give a folder.");
        if (Directory.Exists(path) && !overwrite && Directory.EnumerateFileSystemEntries(path).Any())
            throw new IOException($"{outputName} {path} already exists and is not empty; choose another or pass --force.");
    }

    /// <summary>Both checks for a file output: no overlap with <paramref name="inputs"/>, and no silent replacement.</summary>
    public static void CheckFile(string outputName, string path, bool overwrite, params (string Name, string? Path)[] inputs)
    {
        RefuseOverlap(outputName, path, inputs);
        RefuseExistingFile(outputName, path, overwrite);
    }

    /// <summary>Both checks for a folder output: no overlap with <paramref name="inputs"/>, and no silent replacement.</summary>
    public static void CheckFolder(string outputName, string path, bool overwrite, params (string Name, string? Path)[] inputs)
    {
        RefuseOverlap(outputName, path, inputs);
        RefuseExistingFolder(outputName, path, overwrite);
    }

    /// <summary>The absolute path with every symbolic link along it resolved (parts that do not exist yet are kept as written).</summary>
    public static string Resolve(string path) => Resolve(path, depth: 0);

    private static string Resolve(string path, int depth)
    {
        var full = Path.GetFullPath(path);
        var root = Path.GetPathRoot(full) ?? "";
        var current = root;
        foreach (var part in full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            var next = Path.Combine(current, part);
            FileSystemInfo info = Directory.Exists(next) ? new DirectoryInfo(next) : new FileInfo(next);
            if (depth < 40 && info.LinkTarget is not null && info.ResolveLinkTarget(returnFinalTarget: true) is { } target)
                next = Resolve(target.FullName, depth + 1);
            current = next;
        }
        return Path.TrimEndingDirectorySeparator(current);
    }

    /// <summary>True when <paramref name="path"/> lies strictly below the folder <paramref name="folder"/>.</summary>
    private static bool Inside(string path, string folder)
    {
        var prefix = Path.EndsInDirectorySeparator(folder) ? folder : folder + Path.DirectorySeparatorChar;
        return path.StartsWith(prefix, PathComparison);
    }
}
