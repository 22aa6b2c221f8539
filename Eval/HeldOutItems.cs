namespace Recsys.Eval;

/// <summary>Which of a user's held-out items count as targets (the ranking is always over all items).</summary>
public enum HeldOutItems
{
    /// <summary>Every held-out item.</summary>
    All,
    /// <summary>Only items with no interaction in the training split ("cold" items a pure CF model has never seen);
    /// users without such a held-out item are not evaluated.</summary>
    Cold,
    /// <summary>Only items that occur in the training split.</summary>
    Warm,
    /// <summary>Only the long tail: items with at least one training interaction and at most the median training
    /// interactions of such items (<see cref="FullRankingEvaluator.LongTailItems"/>).</summary>
    LongTail,
}
