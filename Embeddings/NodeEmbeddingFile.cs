using System.Globalization;
using Recsys.Data;
using Recsys.IO;

namespace Recsys.Embeddings;

/// <summary>
/// Node or entity embeddings with their ids, read from and written to the two interchange formats of DESIGN.md:
/// Arrow IPC (<c>id:int32, embedding:fixed_size_list&lt;float32&gt;[d]</c>, plus <c>raw:utf8</c> when ids are strings) or
/// <c>.npy</c> (float32 [n, d], row r = the r-th id) with the ids beside it in <c>NAME.ids.npy</c> (int32) or, for
/// string ids, <c>NAME.ids.txt</c> (one per line).
/// </summary>
public sealed record NodeEmbeddingFile(float[] Vectors, int Dim, int[] Ids, string[]? RawIds = null)
{
    public int Count => Ids.Length;

    /// <summary>Writes <paramref name="path"/> as Arrow (<c>.arrow</c>) or NumPy (<c>.npy</c>), atomically.</summary>
    public void Write(string path)
    {
        if (Vectors.Length != (long)Count * Dim) throw new ArgumentException($"{Vectors.Length} values do not make {Count} rows of {Dim}.");
        var ext = Path.GetExtension(path).ToLowerInvariant();
        if (ext == ".npy")
        {
            NpyFile.WriteFloat32(path, Vectors, Count, Dim);
            if (RawIds is null) NpyFile.WriteInt32Vector(IdsPath(path, ".npy"), Ids);
            else AtomicFile.WriteAllText(IdsPath(path, ".txt"), string.Join('\n', RawIds) + "\n");
        }
        else if (ext is ".arrow" or ".feather" or ".ipc")
        {
            var cols = new List<(string, Apache.Arrow.IArrowArray)>
            {
                ("id", ArrowWriter.Int32Column(Ids)),
                ("embedding", ArrowWriter.FloatVectorColumn(Vectors, Dim)),
            };
            if (RawIds is not null) cols.Add(("raw", ArrowWriter.StringColumn(RawIds)));
            ArrowWriter.Write(path, cols.ToArray());
        }
        else throw new ArgumentException($"{path}: unknown embedding format '{ext}'; use .arrow or .npy.");
    }

    /// <summary>Reads an Arrow or NumPy embedding file; a <c>.npy</c> without an ids file gets ids 0..n-1.</summary>
    public static NodeEmbeddingFile Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: file not found.", path);
        var ext = Path.GetExtension(path).ToLowerInvariant();
        if (ext == ".npy")
        {
            var v = NpyFile.ReadFloat32(path, out int rows, out int dim);
            int[] ids;
            string[]? raw = null;
            if (File.Exists(IdsPath(path, ".npy")))
            {
                ids = NpyFile.ReadInt32(IdsPath(path, ".npy"), out int n, out _);
                if (n != rows) throw new DataFormatException(IdsPath(path, ".npy"), 0, null, $"{n} ids for {rows} embedding rows.");
            }
            else if (File.Exists(IdsPath(path, ".txt")))
            {
                raw = File.ReadAllLines(IdsPath(path, ".txt")).Where(l => l.Length > 0).ToArray();
                if (raw.Length != rows) throw new DataFormatException(IdsPath(path, ".txt"), 0, null, $"{raw.Length} ids for {rows} embedding rows.");
                ids = Enumerable.Range(0, rows).ToArray();
            }
            else ids = Enumerable.Range(0, rows).ToArray();
            return new NodeEmbeddingFile(v, dim, ids, raw);
        }
        using var t = ArrowTable.Open(path);
        var vectors = t.FloatVectors("embedding", out int d);
        var idCol = t.Int32("id");
        var rawCol = t.HasColumn("raw") ? t.Strings("raw") : null;
        return new NodeEmbeddingFile(vectors, d, idCol, rawCol);
    }

    /// <summary>The id of row r as text (raw id when present).</summary>
    public string IdText(int r) => RawIds?[r] ?? Ids[r].ToString(CultureInfo.InvariantCulture);

    /// <summary>NAME.npy → NAME.ids.npy / NAME.ids.txt.</summary>
    public static string IdsPath(string npyPath, string ext) =>
        Path.Combine(Path.GetDirectoryName(npyPath) ?? "", Path.GetFileNameWithoutExtension(npyPath) + ".ids" + ext);
}
