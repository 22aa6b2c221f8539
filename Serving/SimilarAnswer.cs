namespace Recsys.Serving;

/// <summary>Items most similar to <see cref="Item"/> (itself excluded), best first, with the version that produced them.</summary>
public sealed record SimilarAnswer(string Item, IReadOnlyList<ScoredItem> Items, string Version, long Generation);
