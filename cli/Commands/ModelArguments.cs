using System.CommandLine;
using Recsys.Catalog;
using Recsys.Models;
using Recsys.Tables;

namespace Recsys.Cli.Commands;

/// <summary>
/// The model and table options of <c>recsys train</c> and <c>recsys bench train</c>, made from the catalog: <c>--model</c>,
/// <c>--dim</c>, <c>--user-table</c> / <c>--item-table</c>, and one <c>--NAME</c> per parameter any registered kind
/// declares (kinds sharing a name share the option). Given values reach the chosen kind's
/// <see cref="ModelKind.Configure"/> or <see cref="TableKind.Create"/>; a value the chosen kind does not take is an error
/// naming the kinds that do.
/// </summary>
internal sealed class ModelArguments
{
    private readonly RecsysCatalog _catalog;
    private readonly Dictionary<string, Option<string?>> _parameters = new();

    public ModelArguments(RecsysCatalog catalog)
    {
        _catalog = catalog;
        var models = string.Join(", ", catalog.Models.Select(m => m.Name));
        var tables = string.Join(" | ", catalog.Tables.Select(t => t.Name));
        Model = new Option<string?>("--model") { Description = $"Model kind: {models}." };
        Dim = new Option<int?>("--dim") { Description = "Embedding width (default 64)." };
        var presets = catalog.Models.SelectMany(m => m.Presets.Select(p => $"{m.Name}: {p.Name} ({p.Description})")).ToList();
        Preset = new Option<string?>("--preset")
        {
            Description = "A named configuration of the model kind, applied before the other options" + (presets.Count > 0 ? $"; {string.Join("; ", presets)}." : "."),
        };
        UserTable = new Option<string?>("--user-table") { Description = $"Embedding table of the users: {tables} (default full)." };
        ItemTable = new Option<string?>("--item-table") { Description = $"Embedding table of the items: {tables} (default full)." };
        foreach (var p in catalog.Models.SelectMany(m => m.Parameters).Concat(catalog.Tables.SelectMany(t => t.Parameters)))
            if (!_parameters.ContainsKey(p.Name))
                _parameters[p.Name] = new Option<string?>("--" + p.Name) { Description = p.Description + (p.Choices is { } c ? $" One of: {string.Join(", ", c)}." : "") };
    }

    public Option<string?> Model { get; }
    public Option<int?> Dim { get; }
    public Option<string?> Preset { get; }
    public Option<string?> UserTable { get; }
    public Option<string?> ItemTable { get; }

    /// <summary>Every option, for adding to a command.</summary>
    public IEnumerable<Option> All => new Option[] { Model, Preset, Dim, UserTable, ItemTable }.Concat(_parameters.Values);

    /// <summary>Whether any model or table option was given (they may not be with <c>--resume</c>), <paramref name="except"/> (parameter names) aside.</summary>
    public string? FirstGiven(ParseResult pr, params string[] except) =>
        All.FirstOrDefault(o => pr.GetResult(o) is { Implicit: false } && !except.Contains(o.Name.TrimStart('-')))?.Name;

    /// <summary>The text given for the kind parameter <paramref name="name"/> (e.g. "dnis-budget"), or null.</summary>
    public string? Given(ParseResult pr, string name) => _parameters.TryGetValue(name, out var o) ? pr.GetValue(o) : null;

    /// <summary>The registered kind <c>--model</c> names (or <paramref name="name"/>).</summary>
    public ModelKind Kind(ParseResult pr, string? name = null)
    {
        var n = name ?? pr.GetValue(Model) ?? throw new ArgumentException($"--model is required ({string.Join(", ", _catalog.Models.Select(m => m.Name))}).");
        return _catalog.Model(n); // its error's parameter "model" is reported as --model
    }

    /// <summary>
    /// Options of <paramref name="kind"/>: its defaults (through <c>--preset</c>), <c>--dim</c>, the tables, then its own parameters. Notes on
    /// data-dependent defaults go to <paramref name="log"/>.
    /// </summary>
    public ModelOptions Build(ParseResult pr, ModelKind kind, ModelInputs inputs, TextWriter log)
    {
        var m = kind.Defaults();
        if (pr.GetValue(Preset) is { } preset)
            m = kind.Preset(preset, "--preset").Apply(m);
        if (pr.GetValue(Dim) is { } d) m = m with { Dim = d >= 1 ? d : throw new ArgumentOutOfRangeException("--dim", d, "must be at least 1.") };
        var userKind = Table(pr.GetValue(UserTable));
        var itemKind = Table(pr.GetValue(ItemTable));
        CheckApplicable(pr, kind.Parameters.Select(p => p.Name).Concat(userKind.Parameters.Concat(itemKind.Parameters).Select(p => p.Name)).ToHashSet(), kind);
        m = m with
        {
            UserTable = userKind.Create(new TableRequest(TableSide.Users, Arguments(pr, userKind.Parameters), inputs, m.UserTable, log)),
            ItemTable = itemKind.Create(new TableRequest(TableSide.Items, Arguments(pr, itemKind.Parameters), inputs, m.ItemTable, log)),
        };
        m = kind.Configure(m, Arguments(pr, kind.Parameters));
        m.Validate();
        return m;
    }

    private TableKind Table(string? name)
    {
        if (name is null) return _catalog.Table("full");
        try { return _catalog.Table(name); }
        catch (ArgumentOutOfRangeException e) { throw new ArgumentOutOfRangeException("--user-table/--item-table", name, e.Message.Split(" (Parameter")[0].Split('\n')[0]); }
    }

    private KindArguments Arguments(ParseResult pr, IEnumerable<KindParameter> parameters)
    {
        var a = new KindArguments();
        foreach (var p in parameters)
            if (pr.GetValue(_parameters[p.Name]) is { } text)
                a.Set(p, text); // a parse error names the parameter, which the CLI reports as its --flag
        return a;
    }

    /// <summary>Refuses a given kind or table parameter that neither the chosen model kind nor the chosen tables take.</summary>
    private void CheckApplicable(ParseResult pr, HashSet<string> applicable, ModelKind kind)
    {
        foreach (var (name, option) in _parameters)
        {
            if (pr.GetValue(option) is null || applicable.Contains(name)) continue;
            var takers = _catalog.Models.Where(m => m.Parameters.Any(p => p.Name == name)).Select(m => "--model " + m.Name)
                .Concat(_catalog.Tables.Where(t => t.Parameters.Any(p => p.Name == name)).Select(t => "table " + t.Name));
            throw new ArgumentException($"--{name} does not apply to --model {kind.Name} with these tables; it applies to {string.Join(", ", takers)}.");
        }
    }
}
