namespace Recsys.Retrieval.Recommenders;

/// <summary>
/// One recommendation request (implicit's <c>recommend</c> shape): a known <see cref="User"/> and/or a
/// <see cref="History"/> (oldest first; used by models with a user encoder, and as the seen items of an unknown
/// user), <see cref="K"/>, and filters — the user's seen items (default on), an <see cref="Exclude"/> list and an
/// <see cref="Allow"/> list (only these items may be returned). Filters are exact: they are applied inside the search.
/// </summary>
public sealed record RecommendRequest
{
    public int? User { get; init; }
    public IReadOnlyList<int>? History { get; init; }
    public int K { get; init; } = 20;
    public bool ExcludeSeen { get; init; } = true;
    public IReadOnlyCollection<int>? Exclude { get; init; }
    public IReadOnlyCollection<int>? Allow { get; init; }

    public void Validate(int numUsers, int numItems)
    {
        if (K < 1 || K > numItems) throw new ArgumentOutOfRangeException(nameof(K), K, $"must be in 1..{numItems} (the items).");
        if (User is { } u && (uint)u >= (uint)numUsers) throw new ArgumentOutOfRangeException(nameof(User), u, $"must be in 0..{numUsers - 1}.");
        if (User is null && History is null) throw new ArgumentException("a request needs a user or a history.", nameof(User));
        CheckItems(History, nameof(History), numItems);
        CheckItems(Exclude, nameof(Exclude), numItems);
        CheckItems(Allow, nameof(Allow), numItems);
    }

    private static void CheckItems(IEnumerable<int>? items, string name, int numItems)
    {
        if (items is null) return;
        foreach (var i in items)
            if ((uint)i >= (uint)numItems) throw new ArgumentOutOfRangeException(name, i, $"item {i} is not in 0..{numItems - 1}.");
    }
}

/// <summary>Recommended items, best first, with their scores (fewer than K when filters leave fewer).</summary>
public sealed record Recommendation(int[] Items, float[] Scores);
