using System.CommandLine;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
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
        var parsed = root.Parse(args);
        // Usage errors are bad input like any other: one line naming the option, exit 2, no help dump
        // (--help and --version clear parse errors, so they still print).
        if (parsed.Action is ParseErrorAction && parsed.Errors.Count > 0)
        {
            // An unrecognised token explains the others ("recsys evl" also lacks a subcommand), so it goes first.
            var first = parsed.Errors.FirstOrDefault(e => e.Message.StartsWith("Unrecognized", StringComparison.Ordinal)) ?? parsed.Errors[0];
            errW.WriteLine($"error: {UsageError(first)} (see --help)");
            return BadInput;
        }
        try
        {
            return parsed.Invoke(config);
        }
        catch (Exception e) when (Describe(e, parsed.CommandResult.Command) is { } message)
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

    /// <summary>
    /// The user-facing message for errors caused by input, null for bugs (which keep their stack trace). An argument
    /// error names the flag the user typed when the running <paramref name="command"/> has one for its parameter.
    /// </summary>
    public static string? Describe(Exception e, Command? command = null) => e switch
    {
        DataFormatException d => d.Message,
        FileNotFoundException f => f.Message,
        DirectoryNotFoundException d => d.Message,
        InvalidDataException i => i.Message,
        ArgumentException { ParamName: { } name } a when ParameterFlags.FlagFor(command, name) is { } flag => $"{flag}: {WithoutParameter(a)}",
        ArgumentOutOfRangeException { ParamName: { } name } a => $"{name}: {WithoutParameter(a)}",
        ArgumentException a => a.Message,
        IOException io => io.Message,
        UnauthorizedAccessException u => u.Message,
        _ => null,
    };

    /// <summary>The exception's first line without .NET's " (Parameter 'x')" suffix, and without repeating the flag it is prefixed with.</summary>
    private static string WithoutParameter(ArgumentException a)
    {
        var text = FirstLine(a.Message).Replace($" (Parameter '{a.ParamName}')", "");
        var prefix = a.ParamName + ": ";
        return text.StartsWith(prefix, StringComparison.Ordinal) ? text[prefix.Length..] : text;
    }

    /// <summary>One line for a parse error: the option it concerns and what was wrong, in words rather than .NET type names.</summary>
    internal static string UsageError(ParseError error)
    {
        var option = error.SymbolResult switch
        {
            OptionResult o => o,
            ArgumentResult { Parent: OptionResult o } => o,
            _ => null,
        };
        if (option is not null)
        {
            string name = option.Option.Name;
            if (error.Message.StartsWith("Cannot parse", StringComparison.Ordinal))
            {
                string given = string.Join(' ', option.Tokens.Select(t => t.Value));
                return $"{name}: '{given}' is not {Expected(option.Option.ValueType)}.";
            }
            return error.Message.Contains(name, StringComparison.Ordinal) ? OneLine(error.Message) : $"{name}: {OneLine(error.Message)}";
        }
        return OneLine(error.Message);
    }

    private static string Expected(Type t)
    {
        t = Nullable.GetUnderlyingType(t) ?? t;
        if (t == typeof(int) || t == typeof(long) || t == typeof(short) || t == typeof(ulong) || t == typeof(uint)) return "an integer";
        if (t == typeof(float) || t == typeof(double) || t == typeof(decimal)) return "a number";
        if (t == typeof(bool)) return "true or false";
        if (t.IsEnum) return "one of " + string.Join(", ", Enum.GetNames(t).Select(n => n.ToLowerInvariant()));
        return "a valid value";
    }

    /// <summary>"Must be one of:\n\t'a'\n\t'b'" → "Must be one of: 'a', 'b'".</summary>
    private static string OneLine(string message)
    {
        var lines = message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length <= 1 ? message.Trim() : lines[0] + " " + string.Join(", ", lines.Skip(1));
    }

    private static string FirstLine(string s) => s.Split('\n')[0].TrimEnd('\r');
}
