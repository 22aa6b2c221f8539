namespace Recsys.Serving;

/// <summary>
/// The answer to one <see cref="RecommendQuery"/>: items best first, the model <see cref="Version"/> and
/// <see cref="Generation"/> that produced all of them, <see cref="Fallback"/> ("popularity" when the user was cold, else
/// null) and the request's ids the data does not know (<see cref="UnknownItems"/>; <see cref="UnknownUser"/> is true when
/// the user id was given but unknown).
/// </summary>
public sealed record RecommendAnswer(
    IReadOnlyList<ScoredItem> Items, string Version, long Generation, string? Fallback,
    IReadOnlyList<string> UnknownItems, bool UnknownUser);
