using System.Runtime.CompilerServices;
using System.Text;

namespace Recsys.Data.Import;

/// <summary>
/// A whole text file held as bytes, walked line by line without allocating a string per line or token.
/// Line numbers are 1-based; a trailing CR (CRLF files) is stripped from each line.
/// </summary>
public sealed class TextSource
{
    private TextSource(string path, byte[] bytes) { Path = path; Bytes = bytes; }

    /// <summary>The path as given, used in error messages.</summary>
    public string Path { get; }
    public byte[] Bytes { get; }

    /// <summary>Reads <paramref name="path"/>; a missing or empty file is a <see cref="DataFormatException"/> naming it.</summary>
    public static TextSource Open(string path, string role)
    {
        if (string.IsNullOrEmpty(path)) throw new ArgumentException($"no {role} file given.");
        if (!File.Exists(path)) throw new DataFormatException(path, 0, null, $"{role} file not found.");
        // Held whole in one array: larger files would fail inside File.ReadAllBytes without naming the file.
        if (new FileInfo(path).Length > Array.MaxLength)
            throw new DataFormatException(path, 0, null, $"{role} file is larger than {Array.MaxLength} bytes; split it.");
        var bytes = File.ReadAllBytes(path);
        // Skip a UTF-8 byte-order mark so that the first token parses.
        int skip = bytes.AsSpan().StartsWith("\uFEFF"u8) ? 3 : 0;
        if (bytes.AsSpan(skip).Trim(" \t\r\n"u8).IsEmpty) throw new DataFormatException(path, 0, null, $"{role} file is empty.");
        return new TextSource(path, skip == 0 ? bytes : bytes[skip..]);
    }

    public LineReader Lines() => new(Bytes);

    public DataFormatException Error(long line, string? field, string problem) => new(Path, line, field, problem);

    /// <summary>Shows a token in an error message (truncated, invalid UTF-8 replaced).</summary>
    public static string Show(ReadOnlySpan<byte> token)
    {
        var s = Encoding.UTF8.GetString(token.Length > 40 ? token[..40] : token);
        return token.Length > 40 ? s + "…" : s;
    }
}

/// <summary>Forward-only cursor over the lines of a byte buffer.</summary>
public ref struct LineReader
{
    private readonly ReadOnlySpan<byte> _data;
    private int _pos;

    public LineReader(ReadOnlySpan<byte> data) { _data = data; _pos = 0; LineNumber = 0; }

    /// <summary>1-based number of the line last returned by <see cref="Next"/>.</summary>
    public long LineNumber { get; private set; }

    /// <summary>Moves to the next line (LF or CRLF terminated, or the unterminated last line).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Next(out ReadOnlySpan<byte> line)
    {
        if (_pos >= _data.Length) { line = default; return false; }
        var rest = _data[_pos..];
        int nl = rest.IndexOf((byte)'\n');
        int len = nl < 0 ? rest.Length : nl;
        line = rest[..len];
        if (line.Length > 0 && line[^1] == (byte)'\r') line = line[..^1];
        _pos += nl < 0 ? rest.Length : nl + 1;
        LineNumber++;
        return true;
    }
}

/// <summary>Splits one line into tokens separated by runs of spaces/tabs, or by a single delimiter byte.</summary>
public ref struct TokenReader
{
    private ReadOnlySpan<byte> _rest;
    private readonly byte _delimiter;
    private bool _done;

    /// <param name="line">One line without its terminator.</param>
    /// <param name="delimiter">0 = runs of spaces and tabs; otherwise split at every occurrence of this byte.</param>
    public TokenReader(ReadOnlySpan<byte> line, byte delimiter = 0)
    {
        _rest = line; _delimiter = delimiter; _done = false;
        if (delimiter == 0) _rest = _rest.TrimStart(" \t"u8);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Next(out ReadOnlySpan<byte> token)
    {
        if (_delimiter == 0)
        {
            if (_rest.IsEmpty) { token = default; return false; }
            int end = _rest.IndexOfAny((byte)' ', (byte)'\t');
            if (end < 0) { token = _rest; _rest = default; return true; }
            token = _rest[..end];
            _rest = _rest[end..].TrimStart(" \t"u8);
            return true;
        }
        if (_done) { token = default; return false; }
        int d = _rest.IndexOf(_delimiter);
        if (d < 0) { token = _rest; _rest = default; _done = true; return true; }
        token = _rest[..d];
        _rest = _rest[(d + 1)..];
        return true;
    }
}
