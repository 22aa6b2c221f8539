using System.Globalization;

namespace Recsys.Cli;

/// <summary>Durations on the command line: <c>500ms</c>, <c>30s</c>, <c>2m</c>, or a plain number of seconds.</summary>
internal static class Durations
{
    public static TimeSpan Parse(string text, string option)
    {
        ArgumentNullException.ThrowIfNull(text);
        var t = text.Trim();
        (string number, double scale) = t.EndsWith("ms", StringComparison.OrdinalIgnoreCase) ? (t[..^2], 0.001)
            : t.EndsWith('s') || t.EndsWith('S') ? (t[..^1], 1.0)
            : t.EndsWith('m') || t.EndsWith('M') ? (t[..^1], 60.0)
            : (t, 1.0);
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !double.IsFinite(v) || v < 0 || v * scale > 86_400)
            throw new ArgumentException($"'{text}' is not a duration (e.g. 500ms, 30s, 2m).", option);
        return TimeSpan.FromSeconds(v * scale);
    }
}
