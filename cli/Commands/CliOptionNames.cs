namespace Recsys.Cli.Commands;

/// <summary>Maps the library's option-record property names in validation errors to the flags a user typed.</summary>
internal static class CliOptionNames
{
    /// <summary>Runs <paramref name="validate"/>; an <see cref="ArgumentOutOfRangeException"/> naming a mapped property is rethrown naming its flag.</summary>
    public static void Validate(Action validate, IReadOnlyDictionary<string, string> flags)
    {
        try { validate(); }
        catch (ArgumentOutOfRangeException e) when (e.ParamName is { } p && flags.TryGetValue(p, out var flag))
        {
            throw new ArgumentOutOfRangeException(flag, e.ActualValue, e.Message.Split(" (Parameter")[0].Split('\n')[0]);
        }
    }
}
