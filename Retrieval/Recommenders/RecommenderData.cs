using Recsys.Data;
using Recsys.Retrieval.Mips;

namespace Recsys.Retrieval.Recommenders;

/// <summary>
/// What a <see cref="FittedRecommender"/> knows about the data besides the model: the items each known user has seen
/// (excluded from recommendations by default), each known user's ordered history (for models that encode
/// histories), and the raw ids of users and items (so callers can speak in the dataset's own ids).
/// </summary>
public sealed record RecommenderData
{
    /// <summary>Row u: sorted items user u has seen; null = nothing is excluded by default.</summary>
    public Exclusions? Seen { get; init; }
    /// <summary>The ordered history (oldest first) of known user u; null when no history is known.</summary>
    public Func<int, int[]>? History { get; init; }
    public IReadOnlyList<string>? UserRawIds { get; init; }
    public IReadOnlyList<string>? ItemRawIds { get; init; }

    public static RecommenderData None { get; } = new();

    /// <summary>Seen items and histories from <paramref name="data"/>'s training split, and its raw ids.</summary>
    public static RecommenderData From(Dataset data)
    {
        var train = data.TrainMatrix();
        var histories = UserHistories.From(data.Train, data.NumUsers, data.NumItems);
        return new RecommenderData
        {
            Seen = Exclusions.From(train),
            History = u => (uint)u < (uint)histories.NumUsers ? histories.ItemsOf(u).ToArray() : [],
            UserRawIds = data.UserRawIds, ItemRawIds = data.ItemRawIds,
        };
    }
}
