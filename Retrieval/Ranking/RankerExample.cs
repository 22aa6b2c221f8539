namespace Recsys.Retrieval.Ranking;

/// <summary>
/// One training group of <see cref="LightGbmRanker"/>: a user, the history the first stage and the features see
/// (oldest first; its items are excluded from the candidates), and the items that count as relevant.
/// </summary>
/// <param name="User">Dense user id (the first stage's user row when it has one).</param>
/// <param name="Context">Ordered history the candidates are retrieved and featurised from.</param>
/// <param name="Relevant">Items labelled relevant (1) among the retrieved candidates; the others are labelled 0.</param>
public sealed record RankerExample(int User, int[] Context, int[] Relevant);
