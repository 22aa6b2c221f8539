using System.Globalization;

namespace Recsys.Retrieval.Recommenders;

/// <summary>
/// Raw id ↔ dense row for one side (users or items): the one mapping the CLI and the service share. Lookups answer
/// "unknown" without an exception (unknown ids are ordinary traffic for a service; <see cref="RecommenderData.UserOf"/>
/// turns them into errors). Without raw ids, ids are row numbers below <see cref="Count"/>.
/// </summary>
public sealed class RawIdMap
{
    private readonly IReadOnlyList<string>? _raw;
    private readonly Dictionary<string, int>? _rows;

    public RawIdMap(IReadOnlyList<string>? raw, int count)
    {
        _raw = raw;
        Count = raw?.Count ?? count;
        if (raw is null) return;
        _rows = new Dictionary<string, int>(raw.Count, StringComparer.Ordinal);
        for (int i = 0; i < raw.Count; i++) _rows.TryAdd(raw[i], i);
    }

    /// <summary>Whether the data had its own ids (else ids are row numbers).</summary>
    public bool HasRawIds => _raw is not null;

    /// <summary>Rows on this side.</summary>
    public int Count { get; }

    /// <summary>The row of <paramref name="id"/>, or false when no row has that id.</summary>
    public bool TryRow(string id, out int row)
    {
        if (_rows is not null) return _rows.TryGetValue(id, out row);
        return int.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out row) && row < Count;
    }

    /// <summary>The raw id of <paramref name="row"/> (its number when there are no raw ids).</summary>
    public string Name(int row) => _raw is { } r ? r[row] : row.ToString(CultureInfo.InvariantCulture);
}
