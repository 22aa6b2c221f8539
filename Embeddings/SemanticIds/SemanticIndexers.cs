using Recsys.Embeddings.SemanticIds.RqKMeans;
using Recsys.Embeddings.SemanticIds.RqVae;
using Recsys.Embeddings.SemanticIds.Schemes;

namespace Recsys.Embeddings.SemanticIds;

/// <summary>
/// The indexing methods a program offers, by name. Each method's folder holds its registration (<c>XxxKind.Registration</c>);
/// <see cref="Standard"/> lists the ones this project ships, and a program may <see cref="Add"/> its own.
/// </summary>
public sealed class SemanticIndexers
{
    private readonly List<SemanticIndexerKind> _kinds = [];

    /// <summary>rqvae, rqkmeans, random, sequential, collaborative and category.</summary>
    public static SemanticIndexers Standard() => new SemanticIndexers()
        .Add(RqVaeKind.Registration)
        .Add(RqKMeansKind.Registration)
        .Add(RandomIndexer.Registration)
        .Add(SequentialIndexer.Registration)
        .Add(CollaborativeIndexer.Registration)
        .Add(CategoryIndexer.Registration);

    public IReadOnlyList<SemanticIndexerKind> Kinds => _kinds;

    /// <summary>Registers <paramref name="kind"/>; a second kind of the same name is an error.</summary>
    public SemanticIndexers Add(SemanticIndexerKind kind)
    {
        ArgumentNullException.ThrowIfNull(kind);
        if (_kinds.Any(k => string.Equals(k.Name, kind.Name, StringComparison.OrdinalIgnoreCase)))
            throw new ArgumentException($"an indexing method named '{kind.Name}' is already registered.", nameof(kind));
        _kinds.Add(kind);
        return this;
    }

    /// <summary>The method named <paramref name="name"/> (case-insensitive); an unknown name is an error listing the known ones.</summary>
    public SemanticIndexerKind Get(string name) =>
        _kinds.FirstOrDefault(k => string.Equals(k.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentOutOfRangeException("method", name, $"unknown indexing method '{name}'; known: {string.Join(", ", _kinds.Select(k => k.Name))}.");
}
