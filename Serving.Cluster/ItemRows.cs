using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;
using Recsys.Data;
using Recsys.IO;

namespace Recsys.Serving.Cluster;

/// <summary>
/// Reads a contiguous range of rows of an item-vector file, so a shard loads only its part: float32 <c>.npy</c> files
/// are read by seeking (any size — a 10M × 64 catalog is 2.5 GB), Arrow embedding files (<see cref="EmbeddingFile"/>'s
/// format, which this project keeps under 2 GiB) are read whole and sliced.
/// </summary>
public static partial class ItemRows
{
    /// <summary>Rows and width of the file's matrix.</summary>
    public static (int Count, int Dim) Shape(string path)
    {
        if (IsNpy(path))
        {
            var (rows, cols, _) = NpyHeader(path);
            return (rows, cols);
        }
        EmbeddingFile.Read(path, out int count, out int dim);
        return (count, dim);
    }

    /// <summary>Rows [start, start + count) of the file, row-major [count, dim]; every value must be finite.</summary>
    public static float[] Read(string path, int start, int count, out int dim) => Read(path, start, count, out dim, out _);

    /// <summary>Rows [start, start + count) of the file, and the number of rows the whole file holds.</summary>
    public static float[] Read(string path, int start, int count, out int dim, out int total)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: item vectors not found (every silo must be able to read it).", path);
        float[] rows;
        if (IsNpy(path))
        {
            (total, dim, long offset) = NpyHeader(path);
            CheckRange(path, start, count, total);
            rows = new float[(long)count * dim];
            using var f = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
            f.Seek(offset + (long)start * dim * sizeof(float), SeekOrigin.Begin);
            // In blocks: a whole catalog is more bytes than one span may address.
            for (long at = 0; at < rows.Length;)
            {
                int n = (int)Math.Min(rows.Length - at, 1 << 26);
                f.ReadExactly(MemoryMarshal.AsBytes(rows.AsSpan((int)at, n)));
                at += n;
            }
        }
        else
        {
            var all = EmbeddingFile.Read(path, out total, out dim);
            CheckRange(path, start, count, total);
            rows = all.AsSpan(start * dim, count * dim).ToArray();
        }
        EmbeddingFile.RequireFinite(path, "embedding", rows, dim);
        return rows;
    }

    private static void CheckRange(string path, int start, int count, int total)
    {
        if (start < 0 || count < 0 || (long)start + count > total)
            throw new DataFormatException(path, 0, "rows", $"rows {start}..{(long)start + count - 1} asked for, the file holds {total}.");
    }

    private static bool IsNpy(string path) => Path.GetExtension(path).Equals(".npy", StringComparison.OrdinalIgnoreCase);

    /// <summary>(rows, cols, data offset) of a little-endian float32 C-order 2-D .npy file (format 1–3).</summary>
    private static (int Rows, int Cols, long Offset) NpyHeader(string path)
    {
        using var f = File.OpenRead(path);
        Span<byte> pre = stackalloc byte[12];
        f.ReadExactly(pre[..10]);
        if (pre[0] != 0x93 || pre[1] != (byte)'N' || pre[5] != (byte)'Y') throw new DataFormatException(path, 0, "magic", "not a .npy file.");
        int major = pre[6];
        int len;
        long offset;
        if (major == 1) { len = pre[8] | pre[9] << 8; offset = 10; }
        else { f.ReadExactly(pre[10..12]); len = pre[8] | pre[9] << 8 | pre[10] << 16 | pre[11] << 24; offset = 12; }
        var header = new byte[len];
        f.ReadExactly(header);
        var text = Encoding.Latin1.GetString(header);
        if (!text.Contains("'<f4'")) throw new DataFormatException(path, 0, "descr", "expected float32 ('<f4'); save with arr.astype(np.float32).");
        if (text.Contains("'fortran_order': True")) throw new DataFormatException(path, 0, "fortran_order", "expected C order.");
        var m = ShapePattern().Match(text);
        if (!m.Success) throw new DataFormatException(path, 0, "shape", "expected a 2-D shape (rows, dim).");
        long rows = long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), cols = long.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
        if (rows > int.MaxValue || cols < 1 || cols > 65536) throw new DataFormatException(path, 0, "shape", $"shape ({rows}, {cols}) is out of range.");
        if (f.Length < offset + len + rows * cols * sizeof(float)) throw new DataFormatException(path, 0, "data", "the file is shorter than its shape says.");
        return ((int)rows, (int)cols, offset + len);
    }

    [GeneratedRegex(@"'shape':\s*\(\s*(\d+)\s*,\s*(\d+)\s*\)")]
    private static partial Regex ShapePattern();
}
