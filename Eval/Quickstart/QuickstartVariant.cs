using System.Globalization;
using Recsys.Embeddings.Dnis;
using Recsys.Models;
using Recsys.Tables;

namespace Recsys.Eval.Quickstart;

/// <summary>
/// A registered model trained once more in the quickstart's graph part with other embedding tables, so its row sits
/// next to the plain model's: the same data, epochs and selection rule, a different parameter count.
/// </summary>
/// <param name="Label">The row's name, e.g. <c>lightgcn+dnis0.5</c>.</param>
/// <param name="Model">The registered kind whose defaults the variant starts from.</param>
/// <param name="Tables">Replaces the kind's default tables.</param>
public sealed record QuickstartVariant(string Label, string Model, Func<ModelOptions, ModelOptions> Tables)
{
    /// <summary>
    /// DNIS on both tables of <paramref name="model"/> at <paramref name="budget"/> of the full parameters, with a short
    /// search (5 warm-up + 5 search epochs) that fits the quickstart's epochs.
    /// </summary>
    public static QuickstartVariant Dnis(string model, double budget)
    {
        var spec = new DnisTableSpec(new FullTableSpec()) { Budget = budget, WarmupEpochs = 5, SearchEpochs = 5 };
        spec.Validate();
        return new QuickstartVariant($"{model}+dnis{budget.ToString(CultureInfo.InvariantCulture)}", model, o => o with { UserTable = spec, ItemTable = spec });
    }

    /// <summary>
    /// Parses <c>MODEL+dnisB</c> (DNIS on both tables at budget B, e.g. <c>lightgcn+dnis0.5</c>), the form the CLI takes.
    /// </summary>
    /// <exception cref="FormatException">The text is not of that form or the budget is outside (0, 1].</exception>
    public static QuickstartVariant Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int plus = text.IndexOf('+');
        const string dnis = "dnis";
        if (plus <= 0 || !text.AsSpan(plus + 1).StartsWith(dnis, StringComparison.OrdinalIgnoreCase)
            || !double.TryParse(text.AsSpan(plus + 1 + dnis.Length), NumberStyles.Float, CultureInfo.InvariantCulture, out var budget))
            throw new FormatException($"'{text}' is not a table variant; the form is MODEL+dnisBUDGET, e.g. lightgcn+dnis0.5.");
        if (!(budget > 0 && budget <= 1)) throw new FormatException($"'{text}': the DNIS budget is a fraction of the full tables in (0, 1].");
        return Dnis(text[..plus], budget);
    }
}
