using System.Buffers.Binary;

namespace Recsys.IO;

/// <summary>
/// Checks the vector counts in an Arrow IPC stream's message metadata before Apache.Arrow reads it: the library sizes
/// lists by a record batch's node count (and a schema's field count) as written, so one damaged count can make it
/// allocate gigabytes before it notices. A count whose entries cannot fit in the metadata is rejected here; anything
/// else is left to the library's own checks. The flatbuffer layout is the Arrow format's <c>Message.fbs</c>.
/// </summary>
internal static class ArrowIpcPrecheck
{
    private const int SchemaHeader = 1, RecordBatchHeader = 3;

    /// <summary>Walks the messages of the stream format in <paramref name="s"/>; throws <see cref="InvalidDataException"/> on an impossible count.</summary>
    public static void Validate(ReadOnlySpan<byte> s)
    {
        int pos = 0;
        while (pos + 4 <= s.Length)
        {
            int len = BinaryPrimitives.ReadInt32LittleEndian(s[pos..]);
            pos += 4;
            if (len == -1)   // continuation marker, then the length
            {
                if (pos + 4 > s.Length) return;
                len = BinaryPrimitives.ReadInt32LittleEndian(s[pos..]);
                pos += 4;
            }
            if (len <= 0 || len > s.Length - pos) return;   // end of stream, or damage the reader reports
            long body = CheckMessage(s.Slice(pos, len));
            pos += len;
            if (body < 0 || body > s.Length - pos) return;
            pos += (int)body;
        }
    }

    /// <returns>The message's body length.</returns>
    private static long CheckMessage(ReadOnlySpan<byte> m)
    {
        int table = Offset(m, 0, 0);
        int headerType = Field(m, table, 1) is int ht and > 0 ? At(m, ht, 1)[0] : 0;
        long body = Field(m, table, 3) is int bl and > 0 ? BinaryPrimitives.ReadInt64LittleEndian(At(m, bl, 8)) : 0;
        if (Field(m, table, 2) is not (int hf and > 0)) return body;
        int header = Offset(m, hf, hf);
        if (headerType == RecordBatchHeader)
        {
            CheckVector(m, header, 1, 16, "record batch field nodes");
            CheckVector(m, header, 2, 16, "record batch buffers");
        }
        else if (headerType == SchemaHeader)
        {
            CheckVector(m, header, 2, 4, "schema metadata");
            CheckFields(m, header, 1, depth: 0);
        }
        return body;
    }

    /// <summary>Checks a vector of Field tables (a schema's fields or a field's children) and, recursively, each field.</summary>
    private static void CheckFields(ReadOnlySpan<byte> m, int table, int field, int depth)
    {
        if (depth > 64) throw new InvalidDataException("schema nests fields more than 64 deep.");
        var (v, count) = CheckVector(m, table, field, 4, "fields");
        for (int i = 0; i < count; i++)
        {
            int f = Offset(m, v + 4 + 4 * i, v + 4 + 4 * i);
            CheckVector(m, f, 6, 4, "field metadata");
            CheckFields(m, f, 5, depth + 1);
        }
    }

    /// <returns>The vector's position and entry count ((0, 0) when the field is absent).</returns>
    private static (int Position, int Count) CheckVector(ReadOnlySpan<byte> m, int table, int field, int elementSize, string what)
    {
        if (Field(m, table, field) is not (int f and > 0)) return (0, 0);
        int v = Offset(m, f, f);
        long count = BinaryPrimitives.ReadUInt32LittleEndian(At(m, v, 4));
        if (v + 4 + count * elementSize > m.Length)
            throw new InvalidDataException($"{what}: {count} entries cannot fit in {m.Length} bytes of metadata.");
        return (v, (int)count);
    }

    /// <summary>Absolute position of field <paramref name="index"/> of the table at <paramref name="table"/>, or 0 when absent.</summary>
    private static int Field(ReadOnlySpan<byte> m, int table, int index)
    {
        long vt = table - (long)BinaryPrimitives.ReadInt32LittleEndian(At(m, table, 4));
        if (vt < 0 || vt > m.Length - 4) throw Damaged();
        int vtSize = BinaryPrimitives.ReadUInt16LittleEndian(m[(int)vt..]);
        int slot = 4 + 2 * index;
        if (slot + 2 > vtSize) return 0;
        int off = BinaryPrimitives.ReadUInt16LittleEndian(At(m, (int)vt + slot, 2));
        return off == 0 ? 0 : table + off;
    }

    /// <summary>Follows the unsigned offset stored at <paramref name="at"/> (relative to <paramref name="from"/>).</summary>
    private static int Offset(ReadOnlySpan<byte> m, int at, int from)
    {
        long target = from + (long)BinaryPrimitives.ReadUInt32LittleEndian(At(m, at, 4));
        return target <= m.Length - 4 ? (int)target : throw Damaged();
    }

    private static ReadOnlySpan<byte> At(ReadOnlySpan<byte> m, int pos, int size) =>
        pos >= 0 && pos <= m.Length - size ? m.Slice(pos, size) : throw Damaged();

    private static InvalidDataException Damaged() => new("damaged message metadata (an offset points outside it).");
}
