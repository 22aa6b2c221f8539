using Recsys.Data;

namespace Recsys.Retrieval.Recommenders;

/// <summary>
/// The items carrying each attribute name (a brand, a category level), for attribute filters in requests. A filter
/// lists names; an item passes when it carries every one of them. Built once per snapshot; immutable.
/// </summary>
public sealed class ItemAttributeIndex
{
    private readonly Dictionary<string, int[]> _items;
    private readonly ILookup<int, string> _names;

    private ItemAttributeIndex(Dictionary<string, int[]> items, ILookup<int, string> names) { _items = items; _names = names; }

    /// <summary>An index over no attributes: every filter naming one is refused.</summary>
    public static ItemAttributeIndex None { get; } = new(new Dictionary<string, int[]>(StringComparer.Ordinal), Array.Empty<int>().ToLookup(i => i, _ => ""));

    /// <summary>Names are matched exactly (case-sensitive), as the dataset spells them.</summary>
    public static ItemAttributeIndex From(ItemAttributes? attributes)
    {
        if (attributes is null) return None;
        var sets = new Dictionary<string, SortedSet<int>>(StringComparer.Ordinal);
        for (int r = 0; r < attributes.Count; r++)
        {
            string name = attributes.Names[attributes.Attributes[r]];
            if (!sets.TryGetValue(name, out var set)) sets[name] = set = [];
            set.Add(attributes.Items[r]);
        }
        var names = Enumerable.Range(0, attributes.Count).ToLookup(r => attributes.Items[r], r => attributes.Names[attributes.Attributes[r]]);
        return new ItemAttributeIndex(sets.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray(), StringComparer.Ordinal), names);
    }

    /// <summary>The attribute names item <paramref name="item"/> carries, in the dataset's order (empty when none).</summary>
    public IEnumerable<string> NamesOf(int item) => _names[item];

    /// <summary>How many distinct attribute names the index knows.</summary>
    public int Count => _items.Count;

    /// <summary>
    /// The sorted items that carry every name in <paramref name="names"/>; an unknown name is an
    /// <see cref="ArgumentException"/> naming it (a typo must not silently return nothing).
    /// </summary>
    public int[] ItemsWithAll(IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        if (names.Count == 0) throw new ArgumentException("an attribute filter lists no attributes.", "attributes");
        if (_items.Count == 0) throw new ArgumentException("the served dataset has no item attributes to filter on.", "attributes");
        int[]? result = null;
        foreach (var name in names)
        {
            if (name is null || !_items.TryGetValue(name, out var items))
                throw new ArgumentException($"unknown attribute '{name ?? "null"}'.", "attributes");
            result = result is null ? items : Intersect(result, items);
        }
        return result!;
    }

    private static int[] Intersect(int[] a, int[] b)
    {
        var both = new List<int>(Math.Min(a.Length, b.Length));
        for (int i = 0, j = 0; i < a.Length && j < b.Length;)
        {
            if (a[i] < b[j]) i++;
            else if (a[i] > b[j]) j++;
            else { both.Add(a[i]); i++; j++; }
        }
        return [.. both];
    }
}
