namespace Recsys.Data;

/// <summary>
/// Bad input: names the file, the 1-based line (0 when not line-based) and the field, so a user can fix it.
/// The problem text is cut to <see cref="MaxProblemLength"/> characters, so a hostile file (say a 15 MB header)
/// is never echoed whole.
/// </summary>
public sealed class DataFormatException : Exception
{
    /// <summary>Longest problem text (and field name) kept in a message; the rest is replaced by "…".</summary>
    public const int MaxProblemLength = 500;

    public DataFormatException(string file, long line, string? field, string problem, Exception? inner = null)
        : base(Format(file, line, Cut(field), Cut(problem)!), inner)
    {
        File = file; Line = line; Field = Cut(field); Problem = Cut(problem)!;
    }

    public string File { get; }
    public long Line { get; }
    public string? Field { get; }
    public string Problem { get; }

    private static string? Cut(string? s) =>
        s is null || s.Length <= MaxProblemLength ? s : string.Concat(s.AsSpan(0, MaxProblemLength), "…");

    private static string Format(string file, long line, string? field, string problem)
    {
        var where = line > 0 ? $"{file}:{line}" : file;
        return field is null ? $"{where}: {problem}" : $"{where}: field '{field}': {problem}";
    }
}
