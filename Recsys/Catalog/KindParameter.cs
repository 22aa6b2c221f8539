using System.Globalization;

namespace Recsys.Catalog;

/// <summary>
/// A named, typed setting of a registered model or table kind that a front end (the CLI, a config file) can set from
/// text: the CLI turns each into <c>--name</c>. The kind's factory reads the parsed value back through the typed
/// parameter object itself (<see cref="KindArguments.TryGet{T}"/>), never through a string key.
/// </summary>
public abstract class KindParameter
{
    private protected KindParameter(string name, string description, IReadOnlyList<string>? choices)
    {
        if (string.IsNullOrWhiteSpace(name) || name.StartsWith('-') || name.Any(char.IsWhiteSpace))
            throw new ArgumentOutOfRangeException(nameof(name), name, "a parameter name is a plain word like \"layers\" or \"node-dropout\".");
        Name = name; Description = description; Choices = choices;
    }

    /// <summary>Name as a front end shows it ("layers"; the CLI's option is "--layers").</summary>
    public string Name { get; }
    public string Description { get; }
    /// <summary>The accepted values when the parameter is an enumeration, else null.</summary>
    public IReadOnlyList<string>? Choices { get; }

    /// <summary>Parses <paramref name="text"/>; throws <see cref="ArgumentOutOfRangeException"/> whose ParamName is <see cref="Name"/>.</summary>
    public abstract object ParseValue(string text);

    /// <summary>An int parameter, optionally bounded below.</summary>
    public static KindParameter<int> Int(string name, string description, int min = int.MinValue) =>
        new(name, description, t => int.TryParse(t, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v >= min ? v
            : throw Bad(name, t, min == int.MinValue ? "an integer" : $"an integer ≥ {min}"));

    /// <summary>A finite double parameter in [<paramref name="min"/>, <paramref name="max"/>) (or ≤ max when <paramref name="maxInclusive"/>).</summary>
    public static KindParameter<double> Double(string name, string description, double min = double.MinValue, double max = double.MaxValue, bool maxInclusive = true) =>
        new(name, description, t => double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v)
                                    && v >= min && (maxInclusive ? v <= max : v < max) ? v
            : throw Bad(name, t, $"a finite number in [{Fmt(min)}, {Fmt(max)}{(maxInclusive ? "]" : ")")}"));

    /// <summary>A free-text parameter (a path, a name).</summary>
    public static KindParameter<string> Text(string name, string description) => new(name, description, t => t);

    /// <summary>One of <paramref name="values"/> (case-insensitive), mapped to <typeparamref name="T"/>.</summary>
    public static KindParameter<T> Choice<T>(string name, string description, IReadOnlyDictionary<string, T> values) =>
        new(name, description, t => values.TryGetValue(t.ToLowerInvariant(), out var v) ? v
            : throw Bad(name, t, $"one of {string.Join(", ", values.Keys)}"), values.Keys.ToArray());

    private static ArgumentOutOfRangeException Bad(string name, string text, string expected) => new(name, text, $"expected {expected}, got '{text}'.");
    private static string Fmt(double v) => v == double.MinValue ? "-∞" : v == double.MaxValue ? "∞" : v.ToString(CultureInfo.InvariantCulture);
}

/// <summary>A <see cref="KindParameter"/> whose parsed value is a <typeparamref name="T"/>.</summary>
public sealed class KindParameter<T> : KindParameter
{
    private readonly Func<string, T> _parse;

    internal KindParameter(string name, string description, Func<string, T> parse, IReadOnlyList<string>? choices = null) : base(name, description, choices) => _parse = parse;

    public T Parse(string text) => _parse(text);
    public override object ParseValue(string text) => Parse(text)!;
}
