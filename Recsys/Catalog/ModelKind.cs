using Recsys.Models;
using Recsys.Training;

namespace Recsys.Catalog;

/// <summary>
/// A model kind as the project that implements it describes it: its name (the run.json discriminator and the CLI's
/// <c>--model</c> value), its options type (whose <see cref="ModelOptions.Create"/> is the factory), default options,
/// the paper's trainer settings, the parameters a front end may set, and what it needs from the data.
/// Build one with <see cref="Create{TOptions}"/>.
/// </summary>
public sealed record ModelKind
{
    public required string Name { get; init; }
    public IReadOnlyList<string> Aliases { get; init; } = [];
    public required string Description { get; init; }
    /// <summary>The concrete <see cref="ModelOptions"/> type run.json stores under <see cref="Name"/>.</summary>
    public required Type OptionsType { get; init; }
    public required Func<ModelOptions> Defaults { get; init; }
    /// <summary>The trainer settings of the model's paper / official code.</summary>
    public Func<TrainerOptions> TrainerDefaults { get; init; } = () => new TrainerOptions();
    /// <summary>Settings a front end may give beyond the common ones (<see cref="ModelOptions.Dim"/>, tables).</summary>
    public IReadOnlyList<KindParameter> Parameters { get; init; } = [];
    /// <summary>Applies given <see cref="Parameters"/> to options of this kind (after Dim and tables are set).</summary>
    public Func<ModelOptions, KindArguments, ModelOptions> Configure { get; init; } = (o, _) => o;
    /// <summary>Why this kind cannot train on the inputs (e.g. no knowledge graph), or null when it can.</summary>
    public Func<ModelInputs, string?> Unsupported { get; init; } = _ => null;
    /// <summary>Named configurations beside the defaults (see <see cref="ModelPreset"/>).</summary>
    public IReadOnlyList<ModelPreset> Presets { get; init; } = [];

    /// <summary>The preset called <paramref name="name"/> (case-insensitive).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The kind has no such preset; named <paramref name="parameter"/> (the
    /// option or setting the name came from), the message lists the presets it has.</exception>
    public ModelPreset Preset(string name, string parameter) =>
        Presets.FirstOrDefault(p => p.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentOutOfRangeException(parameter, name, Presets.Count == 0
            ? $"{Name} has no presets."
            : $"{Name} has no preset '{name}'; its presets: {string.Join(", ", Presets.Select(p => p.Name))}.");

    /// <summary>A kind whose options are <typeparamref name="TOptions"/>; <paramref name="configure"/> sees them typed.</summary>
    public static ModelKind Create<TOptions>(string name, string description, Func<TOptions>? defaults = null,
        Func<TOptions, KindArguments, TOptions>? configure = null, IReadOnlyList<KindParameter>? parameters = null,
        Func<TrainerOptions>? trainerDefaults = null, Func<ModelInputs, string?>? unsupported = null, IReadOnlyList<string>? aliases = null,
        IReadOnlyList<ModelPreset>? presets = null)
        where TOptions : ModelOptions, new()
    {
        var make = defaults ?? (() => new TOptions());
        var sample = make();
        if (!string.Equals(sample.Kind, name, StringComparison.Ordinal))
            throw new ArgumentException($"{typeof(TOptions).Name}.Kind is '{sample.Kind}' but the kind is registered as '{name}'.", nameof(name));
        return new ModelKind
        {
            Name = name, Description = description, OptionsType = typeof(TOptions), Defaults = () => make(),
            Parameters = parameters ?? [], Aliases = aliases ?? [],
            TrainerDefaults = trainerDefaults ?? (() => new TrainerOptions()),
            Unsupported = unsupported ?? (_ => null),
            Presets = presets ?? [],
            Configure = configure is null ? (o, _) => o : (o, a) => configure((TOptions)o, a),
        };
    }
}
