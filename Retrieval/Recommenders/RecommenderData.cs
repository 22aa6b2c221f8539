using Recsys.Data;
using Recsys.Retrieval.Mips;

namespace Recsys.Retrieval.Recommenders;

/// <summary>
/// What a <see cref="FittedRecommender"/> knows about the data besides the model: the items each known user has seen
/// (excluded from recommendations by default), each known user's ordered history (for models that encode
/// histories), and the raw ids of users and items (so callers can speak in the dataset's own ids).
/// </summary>
public sealed class RecommenderData
{
    /// <summary>Row u: sorted items user u has seen; null = nothing is excluded by default.</summary>
    public Exclusions? Seen { get; init; }
    /// <summary>The ordered history (oldest first) of known user u; null when no history is known.</summary>
    public Func<int, int[]>? History { get; init; }
    public IReadOnlyList<string>? UserRawIds { get; init; }
    public IReadOnlyList<string>? ItemRawIds { get; init; }

    public static RecommenderData None { get; } = new();

    /// <summary>
    /// Seen items and ordered histories from <paramref name="data"/>'s training split — plus its validation split with
    /// <paramref name="withValidation"/> (what is known when predicting test, as leave-one-out protocols encode) — and its raw ids.
    /// </summary>
    public static RecommenderData From(Dataset data, bool withValidation = false)
    {
        var known = withValidation && data.Valid is { Count: > 0 } v ? Interactions.Concat(data.Train, v) : data.Train;
        var histories = UserHistories.From(known, data.NumUsers, data.NumItems);
        return new RecommenderData
        {
            Seen = Exclusions.From(InteractionMatrix.From(known, data.NumUsers, data.NumItems)),
            History = u => (uint)u < (uint)histories.NumUsers ? histories.ItemsOf(u).ToArray() : [],
            UserRawIds = data.UserRawIds, ItemRawIds = data.ItemRawIds,
        };
    }

    /// <summary>The dense id of user <paramref name="text"/>: its raw id when the data has raw ids, else a row number.</summary>
    public int UserOf(string text) => RowOf(_users ??= new RawIdMap(UserRawIds, int.MaxValue), text, "user");

    /// <summary>The dense id of item <paramref name="text"/>: its raw id when the data has raw ids, else a row number.</summary>
    public int ItemOf(string text) => RowOf(_items ??= new RawIdMap(ItemRawIds, int.MaxValue), text, "item");

    /// <summary>How item <paramref name="item"/> is shown to callers: its raw id, or its row number.</summary>
    public string ItemName(int item) => (_items ??= new RawIdMap(ItemRawIds, int.MaxValue)).Name(item);

    // Built on first use from the raw ids (row ranges are checked by the request, which knows the counts).
    private RawIdMap? _users, _items;

    private static int RowOf(RawIdMap map, string text, string what) => map.TryRow(text, out var row) ? row
        : throw new ArgumentOutOfRangeException(what, text, map.HasRawIds ? $"unknown {what} '{text}'."
            : $"'{text}' is not a valid {what} id (this data has no raw ids: ids are row numbers).");
}
