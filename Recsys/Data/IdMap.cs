namespace Recsys.Data;

/// <summary>Bidirectional map between raw string ids and dense 0-based ids (dense id = insertion order).</summary>
public sealed class IdMap
{
    private readonly List<string> _raw = new();
    private readonly Dictionary<string, int> _dense = new(StringComparer.Ordinal);

    public IdMap() { }

    public IdMap(IEnumerable<string> rawIds)
    {
        foreach (var r in rawIds)
            if (!TryAdd(r, out _)) throw new ArgumentException($"Duplicate raw id '{r}'.");
    }

    public int Count => _raw.Count;
    public IReadOnlyList<string> RawIds => _raw;

    /// <summary>Returns the dense id of <paramref name="raw"/>, adding it if new.</summary>
    public int GetOrAdd(string raw)
    {
        TryAdd(raw, out int id);
        return id;
    }

    /// <returns>true when <paramref name="raw"/> was new.</returns>
    public bool TryAdd(string raw, out int id)
    {
        if (_dense.TryGetValue(raw, out id)) return false;
        id = _raw.Count;
        _raw.Add(raw);
        _dense.Add(raw, id);
        return true;
    }

    public bool TryGetDense(string raw, out int id) => _dense.TryGetValue(raw, out id);
    public string ToRaw(int dense) => _raw[dense];
}
