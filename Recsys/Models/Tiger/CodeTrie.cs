using Recsys.Data.SemanticIds;

namespace Recsys.Models;

/// <summary>
/// The prefix trie of a catalog's code tuples: node 0 is the root (the empty prefix), a node at depth t is a prefix
/// of t codes, and the leaves (depth <see cref="Width"/>) are the items. Decoding walks it so that only prefixes of
/// real tuples are extended and every finished sequence is an item. Children are stored by ascending code
/// (compressed rows). Immutable and thread-safe.
/// <example>Tuples (0,1), (0,2), (3,0) for items 0, 1, 2: the root has children 0 and 3; node "0" has children 1 → item 0
/// and 2 → item 1; node "3" has child 0 → item 2.</example>
/// </summary>
public sealed class CodeTrie
{
    private readonly int[] _childPtr;    // [nodes + 1]
    private readonly int[] _childCode;   // [nodes − 1]
    private readonly int[] _childNode;   // [nodes − 1]
    private readonly int[] _item;        // [nodes]: the item of a leaf, else −1
    private readonly int[] _cardinalities;

    /// <param name="tuples">Row-major [items, width] codes; column c in [0, cardinalities[c]); tuples distinct.</param>
    /// <param name="cardinalities">Codes per column (the width is its length).</param>
    /// <exception cref="ArgumentException">A code is out of range or two items share a tuple.</exception>
    public CodeTrie(ReadOnlySpan<int> tuples, IReadOnlyList<int> cardinalities)
    {
        ArgumentNullException.ThrowIfNull(cardinalities);
        int w = cardinalities.Count;
        if (w < 1) throw new ArgumentException("at least one code per tuple.", nameof(cardinalities));
        if (tuples.Length % w != 0) throw new ArgumentException($"{tuples.Length} codes is not a whole number of {w}-code tuples.", nameof(tuples));
        _cardinalities = cardinalities.ToArray();
        int items = tuples.Length / w;
        var children = new List<List<(int Code, int Node)>> { new() };
        var index = new Dictionary<(int Node, int Code), int>();
        var leaf = new List<int> { -1 };
        for (int i = 0; i < items; i++)
        {
            int node = 0;
            for (int c = 0; c < w; c++)
            {
                int code = tuples[i * w + c];
                if ((uint)code >= (uint)_cardinalities[c])
                    throw new ArgumentException($"item {i} has code {code} at column {c}; the column has {_cardinalities[c]} codes.", nameof(tuples));
                if (!index.TryGetValue((node, code), out int next))
                {
                    next = children.Count;
                    children.Add([]);
                    leaf.Add(-1);
                    index[(node, code)] = next;
                    children[node].Add((code, next));
                }
                node = next;
            }
            if (leaf[node] >= 0) throw new ArgumentException($"items {leaf[node]} and {i} have the same code tuple.", nameof(tuples));
            leaf[node] = i;
        }
        int n = children.Count;
        _childPtr = new int[n + 1];
        _childCode = new int[n - 1];
        _childNode = new int[n - 1];
        for (int v = 0, k = 0; v < n; v++)
        {
            foreach (var (code, child) in children[v].OrderBy(x => x.Code)) { _childCode[k] = code; _childNode[k] = child; k++; }
            _childPtr[v + 1] = k;
        }
        _item = leaf.ToArray();
        NumItems = items;
    }

    /// <summary>The trie of a codes file's tuples (all columns, the disambiguation code included).</summary>
    public static CodeTrie Of(SemanticIdCodes codes)
    {
        ArgumentNullException.ThrowIfNull(codes);
        return new CodeTrie(codes.All, codes.Cardinalities);
    }

    /// <summary>Codes per tuple (the depth of the leaves).</summary>
    public int Width => _cardinalities.Length;
    public IReadOnlyList<int> Cardinalities => _cardinalities;
    public int NumItems { get; }
    public int NumNodes => _item.Length;

    /// <summary>Codes of <paramref name="node"/>'s children, ascending.</summary>
    public ReadOnlySpan<int> ChildCodes(int node) => _childCode.AsSpan(_childPtr[node], _childPtr[node + 1] - _childPtr[node]);

    /// <summary>The child nodes, in the order of <see cref="ChildCodes"/>.</summary>
    public ReadOnlySpan<int> ChildNodes(int node) => _childNode.AsSpan(_childPtr[node], _childPtr[node + 1] - _childPtr[node]);

    /// <summary>The item at a leaf, or −1 for an inner node.</summary>
    public int ItemAt(int node) => _item[node];

    /// <summary>The item whose tuple is <paramref name="tuple"/>, or −1 when no item has it (a prefix is not an item).</summary>
    public int Find(ReadOnlySpan<int> tuple)
    {
        if (tuple.Length != Width) return -1;
        int node = 0;
        foreach (int code in tuple)
        {
            int k = ChildCodes(node).BinarySearch(code);
            if (k < 0) return -1;
            node = ChildNodes(node)[k];
        }
        return _item[node];
    }
}
