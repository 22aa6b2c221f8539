using Recsys.Catalog;

namespace Recsys.Embeddings.SemanticIds;

/// <summary>
/// A registered indexing method: its name (<c>--method</c>), a line of description, what it reads, its own typed
/// parameters (the CLI turns each into <c>--name</c>) and a factory from the shared settings and the given parameters.
/// </summary>
public sealed record SemanticIndexerKind
{
    public required string Name { get; init; }
    public required string Description { get; init; }
    /// <summary>What the method reads, in words ("item features", "user histories", "item attributes").</summary>
    public required string Reads { get; init; }
    /// <summary>Whether the method reads dense item features (a front end then records which features it used).</summary>
    public bool ReadsFeatures { get; init; }
    public IReadOnlyList<KindParameter> Parameters { get; init; } = [];
    public required Func<SemanticIndexSettings, KindArguments, ISemanticIndexer> Create { get; init; }
}
