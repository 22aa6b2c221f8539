using Apache.Arrow;
using Apache.Arrow.Ipc;
using Apache.Arrow.Types;

namespace Recsys.IO;

/// <summary>
/// An Arrow IPC file (file or stream format) read through a memory map: record batches reference the mapped
/// bytes directly; the typed accessors copy one column out into a managed array with a single block copy.
/// Dispose after copying out what you need.
/// </summary>
public sealed class ArrowTable : IDisposable
{
    private static readonly byte[] FileMagic = "ARROW1"u8.ToArray();
    private readonly MappedFile _map;
    private readonly List<RecordBatch> _batches = new();

    private ArrowTable(string path, MappedFile map, Schema schema)
    {
        Path = path; _map = map; Schema = schema;
    }

    public string Path { get; }
    public Schema Schema { get; }
    public IReadOnlyList<RecordBatch> Batches => _batches;
    public long RowCount => _batches.Sum(b => (long)b.Length);

    /// <summary>Opens <paramref name="path"/>; throws <see cref="Recsys.Data.DataFormatException"/> when it is not Arrow IPC.</summary>
    public static ArrowTable Open(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: file not found.", path);
        var map = new MappedFile(path);
        try
        {
            ReadOnlyMemory<byte> mem = map.Memory;
            // The IPC file format is "ARROW1" + 2 padding bytes + the stream format + footer; the stream
            // reader stops at the end-of-stream marker, so skipping the magic lets it read files zero-copy.
            if (mem.Length >= 8 && mem.Span[..6].SequenceEqual(FileMagic)) mem = mem[8..];
            var reader = new ArrowStreamReader(mem);
            var batches = new List<RecordBatch>();
            RecordBatch? batch;
            while ((batch = reader.ReadNextRecordBatch()) is not null) batches.Add(batch);
            var schema = reader.Schema ?? throw new InvalidDataException("no schema");
            var t = new ArrowTable(path, map, schema);
            t._batches.AddRange(batches);
            return t;
        }
        catch (Exception e) when (e is not FileNotFoundException)
        {
            ((IDisposable)map).Dispose();
            throw new Recsys.Data.DataFormatException(path, 0, null, $"not a readable Arrow IPC file ({e.Message}).", e);
        }
    }

    public bool HasColumn(string name) => Schema.GetFieldIndex(name) >= 0;

    private int Index(string name)
    {
        int i = Schema.GetFieldIndex(name);
        if (i < 0) throw new Recsys.Data.DataFormatException(Path, 0, name, "column is missing.");
        return i;
    }

    private T[] Primitive<T, TArr>(string name) where T : struct, IEquatable<T> where TArr : PrimitiveArray<T>
    {
        int c = Index(name);
        var result = new T[RowCount];
        int o = 0;
        foreach (var b in _batches)
        {
            if (b.Column(c) is not TArr arr)
                throw new Recsys.Data.DataFormatException(Path, 0, name, $"expected {typeof(T).Name} values, found {b.Column(c).Data.DataType.Name}.");
            if (arr.NullCount > 0)
                throw new Recsys.Data.DataFormatException(Path, 0, name, "column has nulls.");
            arr.Values.CopyTo(result.AsSpan(o));
            o += arr.Length;
        }
        return result;
    }

    public int[] Int32(string name) => Primitive<int, Int32Array>(name);
    public long[] Int64(string name) => Primitive<long, Int64Array>(name);
    public float[] Float(string name) => Primitive<float, FloatArray>(name);

    public string[] Strings(string name)
    {
        int c = Index(name);
        var result = new string[RowCount];
        int o = 0;
        foreach (var b in _batches)
        {
            if (b.Column(c) is not StringArray arr)
                throw new Recsys.Data.DataFormatException(Path, 0, name, "expected utf8 values.");
            for (int i = 0; i < arr.Length; i++) result[o++] = arr.GetString(i) ?? "";
        }
        return result;
    }

    /// <summary>A fixed_size_list&lt;float32&gt;[d] column as a row-major [rows, d] array.</summary>
    public float[] FloatVectors(string name, out int dim)
    {
        int c = Index(name);
        if (Schema.GetFieldByIndex(c).DataType is not FixedSizeListType fl || fl.ValueDataType is not FloatType)
            throw new Recsys.Data.DataFormatException(Path, 0, name, "expected fixed_size_list<float32>.");
        dim = fl.ListSize;
        var result = new float[RowCount * dim];
        int o = 0;
        foreach (var b in _batches)
        {
            var arr = (FixedSizeListArray)b.Column(c);
            var values = (FloatArray)arr.Values;
            var span = values.Values.Slice(arr.Offset * dim, arr.Length * dim);
            span.CopyTo(result.AsSpan(o));
            o += span.Length;
        }
        return result;
    }

    public void Dispose()
    {
        foreach (var b in _batches) b.Dispose();
        _batches.Clear();
        ((IDisposable)_map).Dispose();
    }
}
