using Recsys.Data;

namespace Recsys.IO;

/// <summary>
/// Embedding matrices on disk, chosen by extension: <c>.npy</c> (float32 [n, d], C order — <c>np.save(f, arr.astype(np.float32))</c>)
/// or Arrow IPC <c>.arrow</c> / <c>.feather</c> / <c>.ipc</c> with columns <c>id:int32, embedding:fixed_size_list&lt;float32&gt;[d]</c>.
/// Arrow rows are written in id order 0..n-1; on reading, rows in any order are placed by id (ids must be a
/// permutation of 0..n-1), and a file without an <c>id</c> column is read in row order. Reading rejects NaN and
/// infinite values with the file, row and column (an embedding with them would score every item as NaN).
/// </summary>
public static partial class EmbeddingFile
{
    public const string IdColumn = "id";
    public const string EmbeddingColumn = "embedding";

    /// <summary>Reads a row-major [count, dim] matrix (row i = entity i).</summary>
    public static float[] Read(string path, out int count, out int dim)
    {
        switch (KindOf(path))
        {
            case Kind.Npy:
                var values = NpyFile.ReadFloat32(path, out count, out dim);
                if (dim < 1) throw new DataFormatException(path, 0, "shape", "embedding dimension is 0.");
                RequireFinite(path, "data", values, dim, null);
                return values;
            default:
                return ReadArrow(path, out count, out dim);
        }
    }

    /// <summary>Writes row-major <paramref name="values"/> [count, dim] atomically, in the format the extension names.</summary>
    public static void Write(string path, ReadOnlySpan<float> values, int count, int dim)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count, nameof(count));
        ArgumentOutOfRangeException.ThrowIfLessThan(dim, 1, nameof(dim));
        if (values.Length != (long)count * dim) throw new ArgumentException($"values hold {values.Length} floats, expected {count} × {dim}.", nameof(values));
        if (KindOf(path) == Kind.Npy) { NpyFile.WriteFloat32(path, values, count, dim); return; }
        var ids = new int[count];
        for (int i = 0; i < count; i++) ids[i] = i;
        ArrowWriter.Write(path,
            (IdColumn, ArrowWriter.Int32Column(ids)),
            (EmbeddingColumn, ArrowWriter.FloatVectorColumn(values, dim)));
    }

    private enum Kind { Npy, Arrow }

    private static Kind KindOf(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".npy" => Kind.Npy,
        ".arrow" or ".feather" or ".ipc" => Kind.Arrow,
        var ext => throw new ArgumentException($"{path}: unknown embedding file type '{ext}'; use .arrow (Arrow IPC) or .npy."),
    };

    /// <summary>
    /// Throws a <see cref="DataFormatException"/> naming <paramref name="path"/>, the row (and its id when
    /// <paramref name="ids"/> is given), the column and the value of the first NaN or infinity in the row-major
    /// [rows, <paramref name="dim"/>] matrix; for callers that read vectors through <see cref="NpyFile"/> directly.
    /// </summary>
    public static void RequireFinite(string path, string field, ReadOnlySpan<float> rows, int dim, int[]? ids = null)
    {
        for (int k = 0; k < rows.Length; k++)
        {
            if (float.IsFinite(rows[k])) continue;
            int r = k / dim;
            var id = ids is null ? "" : $" (id {ids[r]})";
            throw new DataFormatException(path, 0, field, $"row {r}{id}, column {k % dim}: {rows[k]} is not a finite number; embeddings must be finite.");
        }
    }

    private static float[] ReadArrow(string path, out int count, out int dim)
    {
        using var t = ArrowTable.Open(path);
        var rows = t.FloatVectors(EmbeddingColumn, out dim);
        if (dim < 1) throw new DataFormatException(path, 0, EmbeddingColumn, "embedding dimension is 0.");
        count = rows.Length / dim;
        var ids = t.HasColumn(IdColumn) ? t.Int32(IdColumn) : null;
        if (ids is not null && ids.Length != count)
            throw new DataFormatException(path, 0, IdColumn, $"{ids.Length} ids for {count} embeddings.");
        RequireFinite(path, EmbeddingColumn, rows, dim, ids);
        if (ids is null) return rows;
        bool ordered = true;
        for (int i = 0; i < ids.Length && ordered; i++) ordered = ids[i] == i;
        if (ordered) return rows;
        var result = new float[rows.Length];
        var seen = new bool[count];
        for (int r = 0; r < ids.Length; r++)
        {
            int id = ids[r];
            if ((uint)id >= (uint)count) throw new DataFormatException(path, 0, IdColumn, $"id {id} at row {r} is outside 0..{count - 1}; ids must be 0..n-1.");
            if (seen[id]) throw new DataFormatException(path, 0, IdColumn, $"id {id} appears twice (row {r}).");
            seen[id] = true;
            rows.AsSpan(r * dim, dim).CopyTo(result.AsSpan(id * dim, dim));
        }
        return result;
    }
}
