using Recsys.Catalog;
using Recsys.Models;

namespace Recsys.Eval.Quickstart;

/// <summary>
/// An entry of the quickstart's sequential part: a registered kind, alone (<c>sasrec</c>: its defaults) or with one of
/// its presets (<c>grank+generator</c>); the entry's text is its row's name and its run folder's.
/// </summary>
public sealed record QuickstartSequentialModel(string Label, ModelKind Kind, ModelPreset? Preset)
{
    /// <summary>The options the entry trains: the kind's defaults, through the preset when there is one.</summary>
    public ModelOptions Options() => Preset is null ? Kind.Defaults() : Preset.Apply(Kind.Defaults());

    /// <summary>Parses <c>KIND</c> or <c>KIND+PRESET</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Unknown kind or preset (parameter <c>SequentialModels</c>).</exception>
    public static QuickstartSequentialModel Parse(string text, RecsysCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(catalog);
        int plus = text.IndexOf('+');
        string name = plus < 0 ? text : text[..plus];
        var kind = catalog.Model(name, nameof(QuickstartOptions.SequentialModels));
        if (plus < 0) return new QuickstartSequentialModel(text, kind, null);
        var preset = kind.Preset(text[(plus + 1)..], nameof(QuickstartOptions.SequentialModels));
        return new QuickstartSequentialModel(text, kind, preset);
    }
}
