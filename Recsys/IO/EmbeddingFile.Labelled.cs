using Recsys.Data;

namespace Recsys.IO;

public static partial class EmbeddingFile
{
    public const string RawIdColumn = "raw";

    /// <summary>
    /// Reads embeddings with their ids, keeping rows in file order: Arrow gives the <c>id</c> column (0..n-1 when absent)
    /// and the optional <c>raw:utf8</c> column; <c>.npy</c> takes its ids from <c>NAME.ids.npy</c> (int32) or, for string
    /// ids, <c>NAME.ids.txt</c> (one per line), and numbers the rows 0..n-1 when neither is there.
    /// </summary>
    public static LabelledEmbeddings ReadLabelled(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: file not found.", path);
        if (KindOf(path) == Kind.Npy)
        {
            var v = Read(path, out int rows, out int dim);
            string idsNpy = IdsPath(path, ".npy"), idsTxt = IdsPath(path, ".txt");
            if (File.Exists(idsNpy))
            {
                var ids = NpyFile.ReadInt32(idsNpy, out int n, out _);
                if (n != rows) throw new DataFormatException(idsNpy, 0, null, $"{n} ids for {rows} embedding rows.");
                return new LabelledEmbeddings(v, dim, ids);
            }
            if (File.Exists(idsTxt))
            {
                var raw = File.ReadAllLines(idsTxt).Where(l => l.Length > 0).ToArray();
                if (raw.Length != rows) throw new DataFormatException(idsTxt, 0, null, $"{raw.Length} ids for {rows} embedding rows.");
                return new LabelledEmbeddings(v, dim, Enumerable.Range(0, rows).ToArray(), raw);
            }
            return new LabelledEmbeddings(v, dim, Enumerable.Range(0, rows).ToArray());
        }
        using var t = ArrowTable.Open(path);
        var vectors = t.FloatVectors(EmbeddingColumn, out int d);
        if (d < 1) throw new DataFormatException(path, 0, EmbeddingColumn, "embedding dimension is 0.");
        int count = (int)t.RowCount;
        var idCol = t.HasColumn(IdColumn) ? t.Int32(IdColumn) : Enumerable.Range(0, count).ToArray();
        var rawCol = t.HasColumn(RawIdColumn) ? t.Strings(RawIdColumn) : null;
        return new LabelledEmbeddings(vectors, d, idCol, rawCol);
    }

    /// <summary>
    /// Writes <paramref name="e"/> atomically as Arrow (<c>id</c>, <c>embedding</c>, plus <c>raw</c> for string ids) or as
    /// <c>.npy</c> with the ids beside it (<c>NAME.ids.npy</c>, or <c>NAME.ids.txt</c> for string ids; a stale ids file of
    /// the other kind is removed so that a reader cannot pair the new rows with old ids).
    /// </summary>
    public static void WriteLabelled(string path, LabelledEmbeddings e)
    {
        if (e.Vectors.Length != (long)e.Count * e.Dim) throw new ArgumentException($"{e.Vectors.Length} values do not make {e.Count} rows of {e.Dim}.", nameof(e));
        if (e.RawIds is { } r && r.Length != e.Count) throw new ArgumentException($"{r.Length} raw ids for {e.Count} rows.", nameof(e));
        if (KindOf(path) == Kind.Npy)
        {
            Write(path, e.Vectors, e.Count, e.Dim);
            string idsNpy = IdsPath(path, ".npy"), idsTxt = IdsPath(path, ".txt");
            if (e.RawIds is null)
            {
                NpyFile.WriteInt32Vector(idsNpy, e.Ids);
                File.Delete(idsTxt);
            }
            else
            {
                AtomicFile.WriteAllText(idsTxt, string.Join('\n', e.RawIds) + "\n");
                File.Delete(idsNpy);
            }
            return;
        }
        var cols = new List<(string, Apache.Arrow.IArrowArray)>
        {
            (IdColumn, ArrowWriter.Int32Column(e.Ids)),
            (EmbeddingColumn, ArrowWriter.FloatVectorColumn(e.Vectors, e.Dim)),
        };
        if (e.RawIds is not null) cols.Add((RawIdColumn, ArrowWriter.StringColumn(e.RawIds)));
        ArrowWriter.Write(path, cols.ToArray());
    }

    /// <summary><c>NAME.npy</c> → <c>NAME.ids.npy</c> / <c>NAME.ids.txt</c> (<paramref name="ext"/> is ".npy" or ".txt").</summary>
    public static string IdsPath(string npyPath, string ext) =>
        Path.Combine(Path.GetDirectoryName(npyPath) ?? "", Path.GetFileNameWithoutExtension(npyPath) + ".ids" + ext);
}
