using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Recsys.Models;
using Recsys.Tables;

namespace Recsys.Catalog;

/// <summary>
/// The model and table kinds a program uses, added by its composition root through each project's extension methods
/// (<c>catalog.AddGraphModels().AddFullTable()</c>, <c>catalog.AddHashedTables()</c> in Recsys.Embeddings, a user's
/// own kinds), so the core never lists them. Run records serialise through <see cref="Json"/>, whose polymorphism
/// (the "model" and "kind" discriminators) comes from the registered kinds. Kinds may be added until <see cref="Json"/>
/// is first used; after that the catalog is frozen and safe to share between threads.
/// </summary>
public sealed class RecsysCatalog
{
    private readonly List<ModelKind> _models = new();
    private readonly List<TableKind> _tables = new();
    private JsonSerializerOptions? _json;

    public IReadOnlyList<ModelKind> Models => _models;
    public IReadOnlyList<TableKind> Tables => _tables;

    public RecsysCatalog AddModel(ModelKind kind)
    {
        ArgumentNullException.ThrowIfNull(kind);
        ThrowIfFrozen();
        if (!typeof(ModelOptions).IsAssignableFrom(kind.OptionsType) || kind.OptionsType.IsAbstract)
            throw new ArgumentException($"model kind '{kind.Name}': {kind.OptionsType.Name} is not a concrete ModelOptions.", nameof(kind));
        foreach (var name in kind.Aliases.Prepend(kind.Name))
            if (FindModel(name) is { } other) throw new ArgumentException($"model kind '{name}' is already registered ({other.OptionsType.Name}).", nameof(kind));
        if (_models.Any(m => m.OptionsType == kind.OptionsType)) throw new ArgumentException($"{kind.OptionsType.Name} is already registered.", nameof(kind));
        _models.Add(kind);
        return this;
    }

    public RecsysCatalog AddTable(TableKind kind)
    {
        ArgumentNullException.ThrowIfNull(kind);
        ThrowIfFrozen();
        if (!typeof(EmbeddingTableSpec).IsAssignableFrom(kind.SpecType) || kind.SpecType.IsAbstract)
            throw new ArgumentException($"table kind '{kind.Name}': {kind.SpecType.Name} is not a concrete EmbeddingTableSpec.", nameof(kind));
        if (FindTable(kind.Name) is not null) throw new ArgumentException($"table kind '{kind.Name}' is already registered.", nameof(kind));
        if (_tables.Any(t => t.SpecType == kind.SpecType)) throw new ArgumentException($"{kind.SpecType.Name} is already registered.", nameof(kind));
        _tables.Add(kind);
        return this;
    }

    public ModelKind? FindModel(string name) =>
        _models.FirstOrDefault(m => m.Name.Equals(name, StringComparison.OrdinalIgnoreCase) || m.Aliases.Any(a => a.Equals(name, StringComparison.OrdinalIgnoreCase)));

    /// <summary>The kind named <paramref name="name"/> (or an alias); otherwise an error named <paramref name="parameter"/> listing the registered kinds.</summary>
    public ModelKind Model(string name, string parameter = "model") => FindModel(name)
        ?? throw new ArgumentOutOfRangeException(parameter, name, $"unknown model kind '{name}'; registered: {string.Join(", ", _models.Select(m => m.Name))}.");

    /// <summary>The kind whose options type <paramref name="options"/> is.</summary>
    public ModelKind ModelOf(ModelOptions options) => _models.FirstOrDefault(m => m.OptionsType == options.GetType())
        ?? throw new ArgumentOutOfRangeException("model", options.GetType().Name, "this model kind is not registered in the catalog.");

    public TableKind? FindTable(string name) => _tables.FirstOrDefault(t => t.Name.Equals(name, StringComparison.OrdinalIgnoreCase));

    public TableKind Table(string name) => FindTable(name)
        ?? throw new ArgumentOutOfRangeException("table", name, $"unknown table kind; registered: {string.Join(", ", _tables.Select(t => t.Name))}.");

    /// <summary>The kind of <paramref name="spec"/>.</summary>
    public TableKind TableOf(EmbeddingTableSpec spec) => _tables.FirstOrDefault(t => t.SpecType == spec.GetType())
        ?? throw new ArgumentOutOfRangeException("table", spec.GetType().Name, "this table kind is not registered in the catalog.");

    /// <summary>
    /// Serializer options of run records (run.json, checkpoints): camelCase, enums as camelCase strings, named
    /// floating-point literals, and the registered kinds as the derived types of <see cref="ModelOptions"/> ("model")
    /// and <see cref="EmbeddingTableSpec"/> ("kind"). Freezes the catalog.
    /// </summary>
    public JsonSerializerOptions Json => _json ??= BuildJson();

    private JsonSerializerOptions BuildJson()
    {
        var resolver = new DefaultJsonTypeInfoResolver();
        resolver.Modifiers.Add(Polymorphism);
        var o = new JsonSerializerOptions(RecordJson.Base) { TypeInfoResolver = resolver };
        o.MakeReadOnly();
        return o;
    }

    private void Polymorphism(JsonTypeInfo info)
    {
        if (info.Type == typeof(ModelOptions))
            info.PolymorphismOptions = Derived("model", _models.Select(m => (m.OptionsType, m.Name)));
        else if (info.Type == typeof(EmbeddingTableSpec))
            info.PolymorphismOptions = Derived("kind", _tables.Select(t => (t.SpecType, t.Name)));
    }

    private static JsonPolymorphismOptions Derived(string discriminator, IEnumerable<(Type Type, string Name)> kinds)
    {
        var p = new JsonPolymorphismOptions
        {
            TypeDiscriminatorPropertyName = discriminator,
            UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FailSerialization,
        };
        foreach (var (type, name) in kinds) p.DerivedTypes.Add(new JsonDerivedType(type, name));
        return p;
    }

    private void ThrowIfFrozen()
    {
        if (_json is not null) throw new InvalidOperationException("the catalog is in use (its JSON options were built); add kinds before using it.");
    }
}

/// <summary>The JSON conventions of every file and <c>--json</c> output of the project: camelCase keys, camelCase enum strings.</summary>
public static class RecordJson
{
    /// <summary>Options without polymorphic kinds (for records that hold no model or table options).</summary>
    public static JsonSerializerOptions Base { get; } = Build();

    private static JsonSerializerOptions Build()
    {
        var o = new JsonSerializerOptions
        {
            WriteIndented = true,
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            AllowOutOfOrderMetadataProperties = true,
            Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
            NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        };
        o.MakeReadOnly(populateMissingResolver: true);
        return o;
    }
}
