using System.CommandLine;
using Recsys.Data;

namespace Recsys.Cli;

/// <summary>Runs the parsed command and turns known failures into one clear line on stderr and a non-zero exit.</summary>
public static class CliRunner
{
    public const int BadInput = 2;
    public const int Failure = 1;

    public static int Run(RootCommand root, string[] args, TextWriter? stdout = null, TextWriter? stderr = null)
    {
        var outW = stdout ?? Console.Out;
        var errW = stderr ?? Console.Error;
        var config = new InvocationConfiguration { Output = outW, Error = errW, EnableDefaultExceptionHandler = false };
        try
        {
            return root.Parse(args).Invoke(config);
        }
        catch (Exception e) when (Describe(e) is { } message)
        {
            errW.WriteLine($"error: {message}");
            return BadInput;
        }
        catch (Recsys.Training.TrainingDivergedException d)
        {
            errW.WriteLine($"error: {d.Message}");
            return Failure;
        }
        catch (OperationCanceledException)
        {
            errW.WriteLine("cancelled.");
            return 130;
        }
    }

    /// <summary>The user-facing message for errors caused by input, null for bugs (which keep their stack trace).</summary>
    private static string? Describe(Exception e) => e switch
    {
        DataFormatException d => d.Message,
        FileNotFoundException f => f.Message,
        DirectoryNotFoundException d => d.Message,
        InvalidDataException i => i.Message,
        ArgumentOutOfRangeException a when a.ParamName is not null => $"{a.ParamName}: {FirstLine(a.Message).Replace($" (Parameter '{a.ParamName}')", "")}",
        ArgumentException a => a.Message,
        IOException io => io.Message,
        UnauthorizedAccessException u => u.Message,
        _ => null,
    };

    private static string FirstLine(string s) => s.Split('\n')[0].TrimEnd('\r');
}
