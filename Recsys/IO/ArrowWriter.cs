using Apache.Arrow;
using Apache.Arrow.Ipc;
using Apache.Arrow.Types;

namespace Recsys.IO;

/// <summary>Builds Arrow columns from managed arrays and writes them as one IPC file (atomically).</summary>
public static class ArrowWriter
{
    public static IArrowArray Int32Column(ReadOnlySpan<int> v) =>
        new Int32Array(new ArrowBuffer.Builder<int>(v.Length).Append(v).Build(), ArrowBuffer.Empty, v.Length, 0, 0);

    public static IArrowArray Int64Column(ReadOnlySpan<long> v) =>
        new Int64Array(new ArrowBuffer.Builder<long>(v.Length).Append(v).Build(), ArrowBuffer.Empty, v.Length, 0, 0);

    public static IArrowArray FloatColumn(ReadOnlySpan<float> v) =>
        new FloatArray(new ArrowBuffer.Builder<float>(v.Length).Append(v).Build(), ArrowBuffer.Empty, v.Length, 0, 0);

    public static IArrowArray StringColumn(IReadOnlyList<string> v)
    {
        var b = new StringArray.Builder();
        foreach (var s in v) b.Append(s);
        return b.Build();
    }

    /// <summary>A fixed_size_list&lt;float32&gt;[dim] column from a row-major [rows, dim] array.</summary>
    public static IArrowArray FloatVectorColumn(ReadOnlySpan<float> rowMajor, int dim)
    {
        if (dim <= 0 || rowMajor.Length % dim != 0) throw new ArgumentException($"length {rowMajor.Length} is not a multiple of dim {dim}.");
        int rows = rowMajor.Length / dim;
        var values = FloatColumn(rowMajor);
        var type = new FixedSizeListType(new Field("item", FloatType.Default, false), dim);
        var data = new ArrayData(type, rows, 0, 0, new[] { ArrowBuffer.Empty }, new[] { values.Data });
        return new FixedSizeListArray(data);
    }

    /// <summary>Writes named columns of equal length to <paramref name="path"/> as an Arrow IPC file.</summary>
    public static void Write(string path, params (string Name, IArrowArray Column)[] columns) => Write(path, null, columns);

    /// <summary>
    /// Writes named columns of equal length to <paramref name="path"/> as an Arrow IPC file whose schema carries
    /// <paramref name="metadata"/> (key-value pairs pyarrow shows as <c>schema.metadata</c>).
    /// </summary>
    public static void Write(string path, IReadOnlyDictionary<string, string>? metadata, params (string Name, IArrowArray Column)[] columns)
    {
        int length = columns.Length == 0 ? 0 : columns[0].Column.Length;
        var sb = new Schema.Builder();
        foreach (var (name, col) in columns)
        {
            if (col.Length != length) throw new ArgumentException($"column '{name}' has {col.Length} rows, expected {length}.");
            sb.Field(f => f.Name(name).DataType(col.Data.DataType).Nullable(false));
        }
        if (metadata is not null) foreach (var (k, v) in metadata) sb.Metadata(k, v);
        var schema = sb.Build();
        using var batch = new RecordBatch(schema, columns.Select(c => c.Column), length);
        AtomicFile.Write(path, s =>
        {
            using var w = new ArrowFileWriter(s, schema, leaveOpen: true);
            w.WriteRecordBatch(batch);
            w.WriteEnd();
        });
    }
}
