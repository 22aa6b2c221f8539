using Spectre.Console;

namespace Recsys.Cli;

/// <summary>Spectre consoles for command output.</summary>
public static class CliConsole
{
    /// <summary>
    /// A console writing to <paramref name="writer"/>. When it is not a terminal (a pipe, a file, a test) Spectre
    /// would assume 80 columns and wrap metric tables mid-word, so redirected output gets a wide fixed width.
    /// </summary>
    public static IAnsiConsole For(TextWriter writer)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(writer) });
        bool terminal = ReferenceEquals(writer, Console.Out) && !Console.IsOutputRedirected;
        if (!terminal) console.Profile.Width = 200;
        return console;
    }
}
