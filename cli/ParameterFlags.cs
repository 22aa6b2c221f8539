using System.CommandLine;
using System.Runtime.CompilerServices;

namespace Recsys.Cli;

/// <summary>
/// Maps the names the library's errors use (<see cref="ArgumentException.ParamName"/>: option-record properties such as
/// <c>BlockSize</c>, <c>Threads</c>, <c>Ks</c>) to the flag the user typed. A name matches an option of the running
/// command when they agree ignoring case and dashes (<c>BlockSize</c> ↔ <c>--block-size</c>, <c>OverFetch</c> ↔
/// <c>--overfetch</c>); a verb whose names differ from its flags registers them with <see cref="MapParameters"/>.
/// </summary>
public static class ParameterFlags
{
    private static readonly ConditionalWeakTable<Command, Dictionary<string, string>> Explicit = new();

    /// <summary>Registers <c>(parameter name, flag)</c> pairs for <paramref name="command"/>, e.g. <c>("Ks", "--k")</c>.</summary>
    public static Command MapParameters(this Command command, params (string Parameter, string Flag)[] pairs)
    {
        var map = Explicit.GetOrCreateValue(command);
        foreach (var (p, f) in pairs) map[p] = f;
        return command;
    }

    /// <summary>The flag of <paramref name="command"/> (or a parent's) that <paramref name="parameter"/> stands for; null when none does.</summary>
    public static string? FlagFor(Command? command, string parameter)
    {
        if (parameter.StartsWith('-')) return parameter;
        string key = Normalise(parameter);
        for (var c = command; c is not null; c = c.Parents.OfType<Command>().FirstOrDefault())
        {
            if (Explicit.TryGetValue(c, out var map) && map.TryGetValue(parameter, out var flag)) return flag;
            foreach (var option in c.Options)
                if (Normalise(option.Name) == key || option.Aliases.Any(a => Normalise(a) == key)) return option.Name;
        }
        return null;
    }

    private static string Normalise(string name) => new(name.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant).ToArray());
}
