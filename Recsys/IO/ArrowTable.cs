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
    /// <summary>Rows as the batches claim them; the typed accessors check each column against its buffers.</summary>
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
            ArrowIpcPrecheck.Validate(mem.Span);
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

    /// <summary>
    /// Runs a column read, turning whatever a damaged file makes Arrow throw (bad offsets, short buffers, wrong array
    /// types) into a <see cref="Recsys.Data.DataFormatException"/> naming the file and column.
    /// </summary>
    private T Guarded<T>(string name, Func<T> read)
    {
        try { return read(); }
        catch (Exception e) when (e is not Recsys.Data.DataFormatException and not OutOfMemoryException)
        {
            throw new Recsys.Data.DataFormatException(Path, 0, name, $"column cannot be read; the file is damaged ({e.GetType().Name}: {e.Message}).", e);
        }
    }

    /// <summary>The batches' arrays of column <paramref name="name"/>, each checked to be <typeparamref name="TArr"/>, null-free and as long as its batch.</summary>
    private List<TArr> Arrays<TArr>(string name, string expected) where TArr : class, IArrowArray
    {
        int c = Index(name);
        var arrays = new List<TArr>(_batches.Count);
        long total = 0;
        foreach (var b in _batches)
        {
            if (b.Column(c) is not TArr arr)
                throw new Recsys.Data.DataFormatException(Path, 0, name, $"expected {expected} values, found {b.Column(c).Data.DataType.Name}.");
            if (arr.Length != b.Length || arr.Length < 0)
                throw new Recsys.Data.DataFormatException(Path, 0, name, $"column holds {arr.Length} rows in a batch of {b.Length}.");
            if (arr.NullCount > 0)
                throw new Recsys.Data.DataFormatException(Path, 0, name, "column has nulls.");
            total += arr.Length;
            arrays.Add(arr);
        }
        if (total > System.Array.MaxLength) throw new Recsys.Data.DataFormatException(Path, 0, name, $"{total} rows is more than an array can hold.");
        return arrays;
    }

    private T[] Primitive<T, TArr>(string name) where T : struct, IEquatable<T> where TArr : PrimitiveArray<T> => Guarded(name, () =>
    {
        var arrays = Arrays<TArr>(name, typeof(T).Name);
        // Every array's values must lie inside the mapped file before the result is sized by the claimed row counts.
        long total = 0;
        foreach (var arr in arrays)
        {
            if (arr.Values.Length != arr.Length)
                throw new Recsys.Data.DataFormatException(Path, 0, name, $"value buffer holds {arr.Values.Length} values for {arr.Length} rows.");
            total += arr.Length;
        }
        var result = new T[total];
        int o = 0;
        foreach (var arr in arrays)
        {
            arr.Values.CopyTo(result.AsSpan(o));
            o += arr.Length;
        }
        return result;
    });

    public int[] Int32(string name) => Primitive<int, Int32Array>(name);
    public long[] Int64(string name) => Primitive<long, Int64Array>(name);
    public float[] Float(string name) => Primitive<float, FloatArray>(name);

    public string[] Strings(string name) => Guarded(name, () =>
    {
        var arrays = Arrays<StringArray>(name, "utf8");
        long total = 0;
        foreach (var arr in arrays)
        {
            if (arr.ValueOffsets.Length != arr.Length + 1)
                throw new Recsys.Data.DataFormatException(Path, 0, name, "offset buffer is too short.");
            total += arr.Length;
        }
        var result = new string[total];
        int o = 0;
        foreach (var arr in arrays)
        {
            // StringArray.GetString reads through a raw pointer without checking the offsets; decode from bounds-checked spans.
            var offsets = arr.ValueOffsets;
            var bytes = arr.Values;
            for (int i = 0; i < arr.Length; i++)
            {
                int a = offsets[i], b = offsets[i + 1];
                if (a < 0 || b < a || b > bytes.Length)
                    throw new Recsys.Data.DataFormatException(Path, 0, name, $"row {i}: string offsets {a}..{b} lie outside the {bytes.Length}-byte value buffer.");
                result[o++] = System.Text.Encoding.UTF8.GetString(bytes[a..b]);
            }
        }
        return result;
    });

    /// <summary>A fixed_size_list&lt;float32&gt;[d] column as a row-major [rows, d] array.</summary>
    public float[] FloatVectors(string name, out int dim)
    {
        int c = Index(name);
        if (Schema.GetFieldByIndex(c).DataType is not FixedSizeListType fl || fl.ValueDataType is not FloatType)
            throw new Recsys.Data.DataFormatException(Path, 0, name, "expected fixed_size_list<float32>.");
        int d = dim = fl.ListSize;
        if (d < 1) throw new Recsys.Data.DataFormatException(Path, 0, name, $"vector size {d}; expected at least 1.");
        return Guarded(name, () =>
        {
            var arrays = Arrays<FixedSizeListArray>(name, "fixed_size_list<float32>");
            long total = 0;
            var spans = new List<(FixedSizeListArray Arr, FloatArray Values)>(arrays.Count);
            foreach (var arr in arrays)
            {
                if (arr.Values is not FloatArray values)
                    throw new Recsys.Data.DataFormatException(Path, 0, name, "expected float32 list values.");
                if (values.NullCount > 0) throw new Recsys.Data.DataFormatException(Path, 0, name, "vectors hold nulls.");
                long need = ((long)arr.Offset + arr.Length) * d;
                if (need > values.Values.Length)
                    throw new Recsys.Data.DataFormatException(Path, 0, name, $"value buffer holds {values.Values.Length} floats; {arr.Length} vectors of {d} need {need}.");
                total += (long)arr.Length * d;
                spans.Add((arr, values));
            }
            if (total > System.Array.MaxLength) throw new Recsys.Data.DataFormatException(Path, 0, name, $"{total} values is more than an array can hold.");
            var result = new float[total];
            int o = 0;
            foreach (var (arr, values) in spans)
            {
                var span = values.Values.Slice(arr.Offset * d, arr.Length * d);
                span.CopyTo(result.AsSpan(o));
                o += span.Length;
            }
            return result;
        });
    }

    public void Dispose()
    {
        foreach (var b in _batches) b.Dispose();
        _batches.Clear();
        ((IDisposable)_map).Dispose();
    }
}
