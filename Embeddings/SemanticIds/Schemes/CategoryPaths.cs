using Recsys.Data;

namespace Recsys.Embeddings.SemanticIds.Schemes;

/// <summary>
/// Each item's attributes as a path from general to specific: ordered by how many catalog items carry them (most first;
/// ties by attribute id). A sub-category covers a subset of its parent's items, so it always comes after it; a brand,
/// carried by fewer items than the categories it sells in, comes late. The first attribute of the path is the item's
/// <b>top category</b> (Beauty: Makeup, Skin Care, Hair Care, …). Items without attributes have an empty path.
/// </summary>
public sealed class CategoryPaths
{
    private readonly int[] _ptr, _path;

    private CategoryPaths(int[] ptr, int[] path, int[] frequency) { _ptr = ptr; _path = path; Frequency = frequency; }

    /// <summary>Items carrying each attribute (an attribute repeated on one item counts once).</summary>
    public IReadOnlyList<int> Frequency { get; }

    public int NumItems => _ptr.Length - 1;

    /// <summary>The attribute ids of <paramref name="item"/>'s path, general first, without repeats.</summary>
    public ReadOnlySpan<int> Of(int item) => _path.AsSpan(_ptr[item], _ptr[item + 1] - _ptr[item]);

    /// <summary>The item's top category, or -1 when it has no attributes.</summary>
    public int Top(int item) => _ptr[item + 1] > _ptr[item] ? _path[_ptr[item]] : -1;

    public static CategoryPaths From(ItemAttributes attributes, int numItems)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        var sets = new SortedSet<int>[numItems];
        for (int r = 0; r < attributes.Count; r++)
        {
            int item = attributes.Items[r];
            if ((uint)item >= (uint)numItems) throw new ArgumentException($"attribute pair {r} names item {item}; the catalog has {numItems} items.", nameof(attributes));
            (sets[item] ??= []).Add(attributes.Attributes[r]);
        }
        var frequency = new int[attributes.Names.Length];
        foreach (var s in sets)
            if (s is not null)
                foreach (int a in s) frequency[a]++;
        var ptr = new int[numItems + 1];
        var path = new List<int>();
        for (int i = 0; i < numItems; i++)
        {
            if (sets[i] is { } s) path.AddRange(s.OrderByDescending(a => frequency[a]).ThenBy(a => a));
            ptr[i + 1] = path.Count;
        }
        return new CategoryPaths(ptr, [.. path], frequency);
    }
}
