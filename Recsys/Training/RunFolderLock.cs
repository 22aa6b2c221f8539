using System.Text;

namespace Recsys.Training;

/// <summary>
/// An exclusive lock on a run folder for the life of a process that writes it (train, resume): the file
/// <c>run.lock</c> opened with no sharing (an OS lock, released when the process dies), and beside it
/// <c>run.lock.owner</c> with the holder's pid, host and start time, so a second writer is told who holds it.
/// </summary>
public sealed class RunFolderLock : IDisposable
{
    public const string FileName = "run.lock";
    private const string OwnerSuffix = ".owner";
    private FileStream? _stream;
    private readonly string _path;

    private RunFolderLock(FileStream stream, string path) { _stream = stream; _path = path; }

    /// <summary>Takes the lock of <paramref name="runDir"/>; throws <see cref="IOException"/> naming the holder when another process has it.</summary>
    public static RunFolderLock Acquire(string runDir)
    {
        var path = Path.Combine(runDir, FileName);
        FileStream fs;
        try { fs = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None); }
        catch (IOException e) when (e is not FileNotFoundException and not DirectoryNotFoundException)
        {
            string holder;
            try { holder = File.ReadAllText(path + OwnerSuffix).Trim(); } catch (IOException) { holder = "another process"; }
            throw new IOException($"{runDir}: the run folder is in use by {(holder.Length == 0 ? "another process" : holder)}; wait for it to finish or stop it.", e);
        }
        File.WriteAllText(path + OwnerSuffix, $"pid {Environment.ProcessId} on {Environment.MachineName} since {DateTime.UtcNow:O}\n", Encoding.UTF8);
        return new RunFolderLock(fs, path);
    }

    public void Dispose()
    {
        if (_stream is null) return;
        try { File.Delete(_path + OwnerSuffix); File.Delete(_path); } catch (IOException) { /* best effort */ }
        _stream.Dispose();
        _stream = null;
    }
}
