namespace Recsys.IO;

/// <summary>
/// Embedding matrices on disk (DESIGN.md): Arrow IPC <c>id:int32, embedding:fixed_size_list&lt;float32&gt;[d]</c>
/// (<c>.arrow</c>) or NumPy float32 [rows, d] in C order (<c>.npy</c>), chosen by the file extension. Row i is id i.
/// </summary>
public static class EmbeddingFile
{
    /// <summary>Writes row-major <paramref name="rowMajor"/> [rows, dim] atomically.</summary>
    public static void Write(string path, float[] rowMajor, int rows, int dim)
    {
        if (rows < 0 || dim < 1 || rowMajor.Length != (long)rows * dim)
            throw new ArgumentException($"{rowMajor.Length} values do not form a [{rows}, {dim}] matrix.");
        if (IsNpy(path)) { NpyFile.WriteFloat32(path, rowMajor, rows, dim); return; }
        var ids = new int[rows];
        for (int i = 0; i < rows; i++) ids[i] = i;
        ArrowWriter.Write(path, ("id", ArrowWriter.Int32Column(ids)), ("embedding", ArrowWriter.FloatVectorColumn(rowMajor, dim)));
    }

    /// <summary>Reads a matrix written by <see cref="Write"/> (or by pyarrow / numpy in the same layout); Arrow rows are placed by id.</summary>
    public static float[] Read(string path, out int rows, out int dim)
    {
        if (IsNpy(path)) return NpyFile.ReadFloat32(path, out rows, out dim);
        using var t = ArrowTable.Open(path);
        var values = t.FloatVectors("embedding", out dim);
        rows = (int)t.RowCount;
        if (!t.HasColumn("id")) return values;
        var ids = t.Int32("id");
        bool ordered = true;
        for (int i = 0; i < ids.Length && ordered; i++) ordered = ids[i] == i;
        if (ordered) return values;
        var result = new float[values.Length];
        var seen = new bool[rows];
        for (int i = 0; i < ids.Length; i++)
        {
            int id = ids[i];
            if ((uint)id >= (uint)rows || seen[id])
                throw new Data.DataFormatException(path, 0, "id", $"row {i}: id {id} is out of 0..{rows - 1} or repeated.");
            seen[id] = true;
            Array.Copy(values, (long)i * dim, result, (long)id * dim, dim);
        }
        return result;
    }

    private static bool IsNpy(string path) => path.EndsWith(".npy", StringComparison.OrdinalIgnoreCase);
}
