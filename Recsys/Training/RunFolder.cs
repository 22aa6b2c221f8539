using Recsys.Catalog;
using Recsys.IO;
using Recsys.Models;
using static TorchSharp.torch;

namespace Recsys.Training;

/// <summary>
/// The run folder layout of DESIGN.md: <c>run.json</c>, <c>user_embeddings.arrow</c>, <c>item_embeddings.arrow</c>,
/// <c>model.bin</c> (TorchSharp state of the saved epoch) and <c>checkpoint/</c> (see <see cref="Checkpoint"/>).
/// Every file is written to a temporary name and renamed.
/// </summary>
public sealed class RunFolder(string path)
{
    public string Path { get; } = System.IO.Path.GetFullPath(path);
    public string RunJson => System.IO.Path.Combine(Path, "run.json");
    public string ModelFile => System.IO.Path.Combine(Path, "model.bin");
    public string UserEmbeddingsFile => System.IO.Path.Combine(Path, "user_embeddings.arrow");
    public string ItemEmbeddingsFile => System.IO.Path.Combine(Path, "item_embeddings.arrow");
    public string CheckpointDir => System.IO.Path.Combine(Path, "checkpoint");

    public bool HasRecord => File.Exists(RunJson);

    /// <summary>
    /// Tidies what an interrupted writer left (call it holding the folder's lock): a checkpoint swap cut between its two
    /// renames leaves only <c>checkpoint.*.old</c>, which is renamed back; half-written temporaries (<c>.*.tmp</c>) and
    /// leftover <c>*.old</c> folders are deleted. Returns the names removed or restored.
    /// </summary>
    public IReadOnlyList<string> RecoverFromInterruptedWrites()
    {
        var done = new List<string>();
        if (!Directory.Exists(Path)) return done;
        var name = System.IO.Path.GetFileName(CheckpointDir);
        if (!Directory.Exists(CheckpointDir))
        {
            var old = Directory.EnumerateDirectories(Path, name + ".*.old").OrderByDescending(Directory.GetLastWriteTimeUtc).FirstOrDefault();
            if (old is not null) { Directory.Move(old, CheckpointDir); done.Add(System.IO.Path.GetFileName(old)); }
        }
        foreach (var dir in Directory.EnumerateDirectories(Path).Where(IsTemporary))
        {
            Directory.Delete(dir, recursive: true);
            done.Add(System.IO.Path.GetFileName(dir));
        }
        foreach (var file in Directory.EnumerateFiles(Path).Where(IsTemporary))
        {
            File.Delete(file);
            done.Add(System.IO.Path.GetFileName(file));
        }
        return done;
    }

    /// <summary>AtomicFile's temporaries: ".NAME.GUID.tmp" files and folders, and "NAME.GUID.old" folders of a swap.</summary>
    private static bool IsTemporary(string path)
    {
        var n = System.IO.Path.GetFileName(path);
        return n.StartsWith('.') && n.EndsWith(".tmp", StringComparison.Ordinal) || n.EndsWith(".old", StringComparison.Ordinal);
    }

    public void WriteRecord(RunRecord r, RecsysCatalog catalog) => AtomicFile.WriteAllText(RunJson, r.ToJson(catalog));

    public RunRecord ReadRecord(RecsysCatalog catalog)
    {
        if (!File.Exists(RunJson)) throw new FileNotFoundException($"{RunJson}: not a run folder (no run.json).", RunJson);
        return RunRecord.FromJson(File.ReadAllText(RunJson), RunJson, catalog);
    }

    /// <summary>Writes the model state and both embedding files of the epoch being kept.</summary>
    public void WriteModel(nn.Module model, ModelEmbeddings e)
    {
        WriteModule(ModelFile, model);
        EmbeddingFile.Write(UserEmbeddingsFile, e.Users, e.NumUsers, e.Dim);
        EmbeddingFile.Write(ItemEmbeddingsFile, e.Items, e.NumItems, e.Dim);
    }

    /// <summary>Loads <c>model.bin</c> into <paramref name="model"/> (built from the run's options).</summary>
    public void LoadModel(nn.Module model) => LoadModule(ModelFile, model);

    internal static void WriteModule(string file, nn.Module model)
    {
        var ms = new MemoryStream();
        model.save(ms);
        var bytes = ms.ToArray();
        AtomicFile.Write(file, s => s.Write(bytes));
    }

    internal static void LoadModule(string file, nn.Module model)
    {
        if (!File.Exists(file)) throw new FileNotFoundException($"{file}: model state not found.", file);
        try
        {
            using var fs = File.OpenRead(file);
            model.load(fs);
        }
        catch (Exception e) when (e is EndOfStreamException or ArgumentException or InvalidOperationException or IOException and not FileNotFoundException)
        {
            throw new Data.DataFormatException(file, 0, null, $"unreadable or truncated model state ({e.Message}).");
        }
    }
}
