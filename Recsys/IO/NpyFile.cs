using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;

namespace Recsys.IO;

/// <summary>
/// NumPy <c>.npy</c> files (format versions 1–3) for 2-D or 1-D little-endian float32 / int32 / int64 arrays in
/// C order — what <c>numpy.save</c> writes for <c>np.float32</c> and <c>np.int32</c>/<c>np.int64</c> arrays.
/// </summary>
public static partial class NpyFile
{
    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>Reads a float32 matrix; a 1-D array reads as [n, 1].</summary>
    public static float[] ReadFloat32(string path, out int rows, out int cols)
    {
        var (descr, shape, data) = ReadRaw(path);
        if (descr != "<f4") throw new Recsys.Data.DataFormatException(path, 0, "descr", $"expected float32 ('<f4'), found '{descr}'; save with arr.astype(np.float32).");
        (rows, cols) = Shape2(path, shape);
        return MemoryMarshal.Cast<byte, float>(data).ToArray();
    }

    /// <summary>Reads an int32 (or int64, narrowed with a range check) array; a 1-D array reads as [n, 1].</summary>
    public static int[] ReadInt32(string path, out int rows, out int cols)
    {
        var (descr, shape, data) = ReadRaw(path);
        (rows, cols) = Shape2(path, shape);
        if (descr == "<i4") return MemoryMarshal.Cast<byte, int>(data).ToArray();
        if (descr == "<i8")
        {
            var l = MemoryMarshal.Cast<byte, long>(data);
            var r = new int[l.Length];
            for (int i = 0; i < l.Length; i++)
                r[i] = l[i] is >= int.MinValue and <= int.MaxValue ? (int)l[i]
                    : throw new Recsys.Data.DataFormatException(path, 0, "data", $"value {l[i]} at index {i} does not fit int32.");
            return r;
        }
        throw new Recsys.Data.DataFormatException(path, 0, "descr", $"expected int32 ('<i4') or int64 ('<i8'), found '{descr}'.");
    }

    public static void WriteFloat32(string path, ReadOnlySpan<float> data, int rows, int cols) =>
        Write(path, "<f4", MemoryMarshal.AsBytes(data), rows, cols);

    public static void WriteInt32(string path, ReadOnlySpan<int> data, int rows, int cols) =>
        Write(path, "<i4", MemoryMarshal.AsBytes(data), rows, cols);

    /// <summary>Writes a 1-D int32 array (shape (n,)).</summary>
    public static void WriteInt32Vector(string path, ReadOnlySpan<int> data) =>
        Write(path, "<i4", MemoryMarshal.AsBytes(data), data.Length, -1);

    private static void Write(string path, string descr, ReadOnlySpan<byte> bytes, int rows, int cols)
    {
        long expected = (long)rows * Math.Max(cols, 1) * (descr == "<f4" || descr == "<i4" ? 4 : 8);
        if (bytes.Length != expected) throw new ArgumentException($"data has {bytes.Length} bytes, shape needs {expected}.");
        string shape = cols < 0 ? $"({rows},)" : $"({rows}, {cols})";
        string dict = $"{{'descr': '{descr}', 'fortran_order': False, 'shape': {shape}, }}";
        // Header padded with spaces and a newline so the data starts on a 64-byte boundary (numpy's layout).
        int total = Magic.Length + 2 + 2 + dict.Length + 1;
        int pad = (64 - total % 64) % 64;
        var header = dict + new string(' ', pad) + "\n";
        var owned = bytes.ToArray();
        AtomicFile.Write(path, s =>
        {
            s.Write(Magic);
            s.WriteByte(1); s.WriteByte(0);
            s.WriteByte((byte)(header.Length & 0xff)); s.WriteByte((byte)(header.Length >> 8));
            s.Write(Encoding.ASCII.GetBytes(header));
            s.Write(owned);
        });
    }

    /// <summary>Longest header accepted (numpy itself refuses headers over 10,000 bytes by default).</summary>
    public const int MaxHeaderLength = 65_536;

    private static (string Descr, int[] Shape, byte[] Data) ReadRaw(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: file not found.", path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        long fileLength = stream.Length;
        var prefix = new byte[12];
        int got = stream.ReadAtLeast(prefix, prefix.Length, throwOnEndOfStream: false);
        if (got < 10 || !prefix.AsSpan(0, 6).SequenceEqual(Magic))
            throw new Recsys.Data.DataFormatException(path, 0, null, "not a .npy file (bad magic or shorter than a header).");
        int major = prefix[6];
        long hlen;
        int start;
        if (major == 1) { hlen = prefix[8] | prefix[9] << 8; start = 10; }
        else if (major is 2 or 3)
        {
            if (got < 12) throw new Recsys.Data.DataFormatException(path, 0, "header", "truncated header length.");
            hlen = BitConverter.ToUInt32(prefix, 8); start = 12;
        }
        else throw new Recsys.Data.DataFormatException(path, 0, "version", $"unsupported .npy version {major}.");
        if (hlen > MaxHeaderLength)
            throw new Recsys.Data.DataFormatException(path, 0, "header", $"header length {hlen} exceeds the {MaxHeaderLength}-byte limit.");
        if (start + hlen > fileLength)
            throw new Recsys.Data.DataFormatException(path, 0, "header", $"truncated header: it claims {hlen} bytes, the file holds {fileLength - start} after the prefix.");
        var headerBytes = new byte[hlen];
        stream.Position = start;
        stream.ReadExactly(headerBytes);
        var header = Encoding.Latin1.GetString(headerBytes);
        var descr = DescrRx().Match(header) is { Success: true } d ? d.Groups[1].Value
            : throw new Recsys.Data.DataFormatException(path, 0, "descr", "missing in header.");
        if (FortranRx().Match(header) is { Success: true } f && f.Groups[1].Value == "True")
            throw new Recsys.Data.DataFormatException(path, 0, "fortran_order", "Fortran-order arrays are not supported; save np.ascontiguousarray(arr).");
        var sm = ShapeRx().Match(header);
        if (!sm.Success) throw new Recsys.Data.DataFormatException(path, 0, "shape", "missing in header.");
        var dims = sm.Groups[1].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (dims.Length > 32) throw new Recsys.Data.DataFormatException(path, 0, "shape", $"{dims.Length} dimensions; at most 2 are supported.");
        var shape = new int[dims.Length];
        long count = 1;
        for (int k = 0; k < dims.Length; k++)
        {
            // Python may write "3L" for a long (numpy under Python 2).
            var text = dims[k].EndsWith('L') ? dims[k][..^1] : dims[k];
            if (!int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out shape[k]))
                throw new Recsys.Data.DataFormatException(path, 0, "shape",
                    $"dimension '{(text.Length > 40 ? text[..40] + "…" : text)}' is not an integer in 0..{int.MaxValue}.");
            count *= shape[k];
            if (count > Array.MaxLength)
                throw new Recsys.Data.DataFormatException(path, 0, "shape", $"the shape holds more than {Array.MaxLength} elements; arrays that large are not supported.");
        }
        int itemSize = descr.EndsWith('8') ? 8 : 4;
        long need = count * itemSize;
        long dataStart = start + hlen;
        if (fileLength - dataStart != need)
            throw new Recsys.Data.DataFormatException(path, 0, "data",
                $"shape ({string.Join(", ", shape)}) needs {need} bytes of data, the file holds {fileLength - dataStart}{(fileLength - dataStart < need ? " (truncated?)" : "")}.");
        // The data size is checked against the file's length before allocating, so a header cannot choose it.
        var data = new byte[need];
        stream.Position = dataStart;
        stream.ReadExactly(data);
        return (descr, shape, data);
    }

    private static (int, int) Shape2(string path, int[] shape) => shape.Length switch
    {
        1 => (shape[0], 1),
        2 => (shape[0], shape[1]),
        _ => throw new Recsys.Data.DataFormatException(path, 0, "shape", $"expected a 1-D or 2-D array, found {shape.Length}-D."),
    };

    [GeneratedRegex(@"'descr'\s*:\s*'([^']*)'")] private static partial Regex DescrRx();
    [GeneratedRegex(@"'fortran_order'\s*:\s*(True|False)")] private static partial Regex FortranRx();
    [GeneratedRegex(@"'shape'\s*:\s*\(([^)]*)\)")] private static partial Regex ShapeRx();
}
