namespace Recsys.Data;

/// <summary>
/// Bad input: names the file, the 1-based line (0 when not line-based) and the field, so a user can fix it.
/// </summary>
public sealed class DataFormatException : Exception
{
    public DataFormatException(string file, long line, string? field, string problem, Exception? inner = null)
        : base(Format(file, line, field, problem), inner)
    {
        File = file; Line = line; Field = field; Problem = problem;
    }

    public string File { get; }
    public long Line { get; }
    public string? Field { get; }
    public string Problem { get; }

    private static string Format(string file, long line, string? field, string problem)
    {
        var where = line > 0 ? $"{file}:{line}" : file;
        return field is null ? $"{where}: {problem}" : $"{where}: field '{field}': {problem}";
    }
}
