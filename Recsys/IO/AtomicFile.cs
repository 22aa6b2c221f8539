namespace Recsys.IO;

/// <summary>Writes files and folders under a temporary name and renames them into place, so readers never see half-written output.</summary>
public static class AtomicFile
{
    /// <summary>Writes <paramref name="path"/> through <paramref name="write"/> into a sibling temp file, then renames it over the target.</summary>
    public static void Write(string path, Action<Stream> write)
    {
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(dir);
        var tmp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var fs = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(fs);
                fs.Flush(true);
            }
            File.Move(tmp, full, overwrite: true);
        }
        catch
        {
            TryDelete(tmp);
            throw;
        }
    }

    public static void WriteAllText(string path, string text) =>
        Write(path, s => { using var w = new StreamWriter(s, leaveOpen: true); w.Write(text); });

    /// <summary>
    /// Builds a folder through <paramref name="build"/> in a sibling temp folder, then renames it to <paramref name="path"/>.
    /// An existing target is replaced only when <paramref name="overwrite"/> is set.
    /// </summary>
    public static void WriteFolder(string path, Action<string> build, bool overwrite = false)
    {
        var full = Path.GetFullPath(path).TrimEnd(Path.DirectorySeparatorChar);
        if (Directory.Exists(full) && !overwrite && Directory.EnumerateFileSystemEntries(full).Any())
            throw new IOException($"Output folder '{path}' already exists and is not empty; choose another or pass --force.");
        var parent = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(parent);
        var tmp = Path.Combine(parent, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        Directory.CreateDirectory(tmp);
        try
        {
            build(tmp);
            if (Directory.Exists(full))
            {
                var old = full + $".{Guid.NewGuid():N}.old";
                Directory.Move(full, old);
                Directory.Move(tmp, full);
                Directory.Delete(old, recursive: true);
            }
            else Directory.Move(tmp, full);
        }
        catch
        {
            try { Directory.Delete(tmp, recursive: true); } catch { /* best effort */ }
            throw;
        }
    }

    private static void TryDelete(string f) { try { File.Delete(f); } catch { /* best effort */ } }
}
