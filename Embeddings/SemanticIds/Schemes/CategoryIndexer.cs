using System.Diagnostics;
using Recsys.Data.SemanticIds;

namespace Recsys.Embeddings.SemanticIds.Schemes;

/// <summary>
/// Category-tree indexing ("How to Index Item IDs", Hua et al. 2023): level l of an item's code is the l-th attribute
/// of its <see cref="CategoryPaths"/> path, numbered among the attributes that follow the same path prefix (1, 2, … by
/// how many items carry them, ties by id); 0 means the path ends before level l. When a prefix has K or more children,
/// child r takes code 1 + (r − 1) mod (K − 1), and the items that then share codes are told apart by the
/// disambiguation column, which Hua et al. likewise append as an item token.
/// </summary>
public sealed class CategoryIndexer(SemanticIndexSettings settings) : ISemanticIndexer
{
    public const string Name = "category";

    public static SemanticIndexerKind Registration { get; } = new()
    {
        Name = Name, Description = "the item's category path (attributes ordered general → specific, Hua et al. 2023)", Reads = "item attributes",
        Create = (s, _) => new CategoryIndexer(s),
    };

    public string Method => Name;

    public SemanticIndexResult Index(SemanticIndexInput input, IProgress<SemanticIndexProgress>? progress = null, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        var attributes = input.Attributes ?? throw new ArgumentException("category indexing reads the item attributes (item_attributes.arrow), and there are none.");
        settings.Validate(input.NumItems);
        var sw = Stopwatch.StartNew();
        int n = input.NumItems, levels = settings.Levels, k = settings.Codes;
        var paths = CategoryPaths.From(attributes, n);
        var codes = new int[n * levels];
        // Children of each prefix (written as the attribute ids so far), in path order general → specific.
        var children = new Dictionary<string, Dictionary<int, int>>();
        for (int l = 0; l < levels; l++)
        {
            children.Clear();
            for (int i = 0; i < n; i++)
            {
                var p = paths.Of(i);
                if (p.Length <= l) continue;
                var key = string.Join(',', p[..l].ToArray());
                if (!children.TryGetValue(key, out var set)) children[key] = set = [];
                set.TryAdd(p[l], 0);
            }
            foreach (var set in children.Values)
            {
                int rank = 1;
                foreach (int a in set.Keys.OrderByDescending(a => paths.Frequency[a]).ThenBy(a => a).ToArray())
                    set[a] = 1 + (rank++ - 1) % (k - 1);
            }
            for (int i = 0; i < n; i++)
            {
                var p = paths.Of(i);
                if (p.Length > l) codes[i * levels + l] = children[string.Join(',', p[..l].ToArray())][p[l]];
            }
        }
        var cards = Enumerable.Repeat(k, levels).ToArray();
        return new SemanticIndexResult(SemanticIdCodes.Disambiguate(n, cards, codes, Method), sw.Elapsed.TotalSeconds);
    }
}
