using Recsys.Data;

namespace Recsys.Retrieval.Ranking;

/// <summary>The training groups of a <see cref="LightGbmRanker"/> and where they came from (recorded in <c>ranker.json</c>).</summary>
public sealed class RankerExampleSet
{
    /// <param name="source">Where the examples come from.</param>
    /// <param name="examples">One group per user, in the order <see cref="LambdaRankOptions.MaxUsers"/> takes them.</param>
    public RankerExampleSet(RankerExampleSource source, IReadOnlyList<RankerExample> examples)
    {
        ArgumentNullException.ThrowIfNull(examples);
        Source = source;
        Examples = examples;
    }

    public RankerExampleSource Source { get; }
    public IReadOnlyList<RankerExample> Examples { get; }

    /// <summary>
    /// One example per user with at least one training and one validation item, by user id: context = the ordered
    /// training history, relevant = the user's validation items.
    /// </summary>
    /// <param name="train">Ordered training histories.</param>
    /// <param name="valid">The validation split (users × items).</param>
    public static RankerExampleSet Validation(UserHistories train, InteractionMatrix valid)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(valid);
        var examples = new List<RankerExample>();
        for (int u = 0; u < Math.Min(train.NumUsers, valid.NumUsers); u++)
            if (train.Length(u) > 0 && valid.UserDegree(u) > 0)
                examples.Add(new RankerExample(u, train.ItemsOf(u).ToArray(), valid.ItemsOf(u).ToArray()));
        return new RankerExampleSet(RankerExampleSource.Validation, examples);
    }

    /// <summary>
    /// One example per user with at least two training items, by user id: context = the history without its last
    /// item, relevant = that last item.
    /// </summary>
    /// <param name="histories">Ordered training histories, one per user.</param>
    public static RankerExampleSet HeldOutTraining(IReadOnlyList<int[]> histories)
    {
        ArgumentNullException.ThrowIfNull(histories);
        var examples = new List<RankerExample>();
        for (int u = 0; u < histories.Count; u++)
            if (histories[u].Length >= 2) examples.Add(new RankerExample(u, histories[u][..^1], [histories[u][^1]]));
        return new RankerExampleSet(RankerExampleSource.HeldOutTraining, examples);
    }
}
