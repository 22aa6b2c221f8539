namespace Recsys.Serving;

/// <summary>One answered item: its raw id and its score (inner product, ranker score, or training count for the popularity fallback).</summary>
public sealed record ScoredItem(string Item, float Score);
