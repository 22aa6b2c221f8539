using System.Diagnostics;
using Recsys.Data.SemanticIds;

namespace Recsys.Embeddings.SemanticIds.Schemes;

/// <summary>
/// Sequential indexing ("How to Index Item IDs", Hua et al. 2023): items are numbered p = 0, 1, … in order of first
/// appearance across the training histories (user 0's history in time order, then user 1's, …; items no history
/// holds follow in id order), so items met together get nearby numbers. With L fixed levels of K codes the number is
/// written as the fraction p / N in base K: c_l = ⌊p·K^l / N⌋ mod K. Consecutive items share their leading codes, and
/// the first level spreads the catalog over all K codes (writing p itself in base K would leave c1 = 0 for every item
/// whenever N ≤ K^(L-1)).
/// </summary>
public sealed class SequentialIndexer(SemanticIndexSettings settings) : ISemanticIndexer
{
    public const string Name = "sequential";

    public static SemanticIndexerKind Registration { get; } = new()
    {
        Name = Name, Description = "items numbered by first appearance across user histories, the number written in base K", Reads = "user histories",
        Create = (s, _) => new SequentialIndexer(s),
    };

    public string Method => Name;

    public SemanticIndexResult Index(SemanticIndexInput input, IProgress<SemanticIndexProgress>? progress = null, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        var histories = input.Histories ?? throw new ArgumentException("sequential indexing numbers items by their first appearance in the user histories, and there are none.");
        int n = input.NumItems;
        if (histories.NumItems != n) throw new ArgumentException($"the histories cover {histories.NumItems} items, the catalog has {n}.");
        settings.Validate(n);
        var sw = Stopwatch.StartNew();
        var order = FirstAppearance(histories, n);
        int levels = settings.Levels, k = settings.Codes;
        var codes = new int[n * levels];
        for (int item = 0; item < n; item++)
        {
            long rem = order[item];
            for (int l = 0; l < levels; l++)
            {
                long scaled = rem * k;
                codes[item * levels + l] = (int)(scaled / n);
                rem = scaled % n;
            }
        }
        var cards = Enumerable.Repeat(k, levels).ToArray();
        return new SemanticIndexResult(SemanticIdCodes.Disambiguate(n, cards, codes, Method), sw.Elapsed.TotalSeconds);
    }

    /// <summary>Each item's number p: its rank by first appearance across the histories, then unseen items in id order.</summary>
    public static int[] FirstAppearance(Recsys.Data.UserHistories histories, int numItems)
    {
        ArgumentNullException.ThrowIfNull(histories);
        var number = new int[numItems];
        Array.Fill(number, -1);
        int next = 0;
        for (int u = 0; u < histories.NumUsers; u++)
            foreach (int item in histories.ItemsOf(u))
                if (number[item] < 0) number[item] = next++;
        for (int i = 0; i < numItems; i++)
            if (number[i] < 0) number[i] = next++;
        return number;
    }
}
