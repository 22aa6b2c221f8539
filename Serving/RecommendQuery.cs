namespace Recsys.Serving;

/// <summary>
/// A recommendation request in raw ids: a <see cref="User"/> and/or a <see cref="History"/> (oldest first), <see cref="K"/>
/// and filters. An unknown user without a usable history gets the popularity fallback; ids the data does not know are
/// reported in the answer's <c>UnknownItems</c> and otherwise ignored.
/// </summary>
public sealed record RecommendQuery
{
    public string? User { get; init; }
    public IReadOnlyList<string>? History { get; init; }
    public int K { get; init; } = 20;
    /// <summary>Exclude the user's training items and the given history (default on).</summary>
    public bool ExcludeSeen { get; init; } = true;
    public IReadOnlyList<string>? Exclude { get; init; }
    /// <summary>When set, only these items may be returned.</summary>
    public IReadOnlyList<string>? Allow { get; init; }
    /// <summary>
    /// When set, only items carrying every one of these attribute names (as the dataset spells them: a brand, a category
    /// level) may be returned; combined with <see cref="Allow"/> by intersection. An unknown name is an error.
    /// </summary>
    public IReadOnlyList<string>? Attributes { get; init; }
}
