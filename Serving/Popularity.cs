using Recsys.Data;

namespace Recsys.Serving;

/// <summary>The cold-start fallback: items ordered by how often they occur in the training interactions.</summary>
public static class Popularity
{
    /// <summary>
    /// Every item of <paramref name="numItems"/> ordered by training count, most frequent first, ties to the lower id;
    /// <c>Counts</c> holds each item's count (the score a fallback answer reports).
    /// </summary>
    public static (int[] Order, float[] Counts) Rank(Interactions train, int numItems)
    {
        ArgumentNullException.ThrowIfNull(train);
        var counts = new float[numItems];
        foreach (var i in train.Items)
            if ((uint)i < (uint)numItems) counts[i]++;
        var order = Enumerable.Range(0, numItems).OrderByDescending(i => counts[i]).ThenBy(i => i).ToArray();
        return (order, counts);
    }
}
