using Recsys.Models;

namespace Recsys.Tests.Models.Tiger;

public class ConstrainedBeamSearchTests
{
    /// <summary>Hand-set log-probabilities: a table per prefix (keyed "level:codes…"), a query offset added to tell queries apart.</summary>
    private sealed class TableScorer(Dictionary<string, double[]> probs, int[] cards) : ICodeStepScorer
    {
        public List<int> Calls { get; } = [];

        public float[] LogProbs(ReadOnlySpan<int> owners, ReadOnlySpan<int> prefixes, int level)
        {
            Calls.Add(owners.Length);
            var result = new float[owners.Length * cards[level]];
            for (int r = 0; r < owners.Length; r++)
            {
                var key = string.Join(",", prefixes.Slice(r * level, level).ToArray());
                var p = probs[key];
                for (int c = 0; c < cards[level]; c++) result[r * cards[level] + c] = (float)Math.Log(p[c]);
            }
            return result;
        }
    }

    // Items (tuples over levels of 3 and 2 codes): 0 = (0,0), 1 = (0,1), 2 = (1,0), 3 = (2,1). Tuple (1,1) and (2,0) are not items.
    private static readonly int[] Tuples = [0, 0, 0, 1, 1, 0, 2, 1];
    private static readonly int[] Cards = [3, 2];
    private static Dictionary<string, double[]> Probs() => new()
    {
        [""] = [0.5, 0.3, 0.2],
        ["0"] = [0.6, 0.4],   // item 0: 0.30, item 1: 0.20
        ["1"] = [0.1, 0.9],   // item 2: 0.03 (the likely (1,1) is not an item)
        ["2"] = [0.5, 0.5],   // item 3: 0.10
    };

    [Fact]
    public void AWideBeamReturnsEveryItemInOrderOfItsSequenceProbability()
    {
        var trie = new CodeTrie(Tuples, Cards);
        var (ids, scores) = ConstrainedBeamSearch.Search(trie, 1, beam: 4, k: 4, new TableScorer(Probs(), Cards));
        Assert.Equal([0, 1, 3, 2], ids);
        double[] want = [0.30, 0.20, 0.10, 0.03];
        for (int j = 0; j < 4; j++) Assert.Equal(Math.Log(want[j]), scores[j], 5);
    }

    [Fact]
    public void ANarrowBeamKeepsOnlyTheBestPrefixesAndPadsTheRest()
    {
        // Beam 1: level 1 keeps prefix (0) only, so items 0 then 1 are all it can reach; K = 3 pads with −1 / −∞.
        var trie = new CodeTrie(Tuples, Cards);
        var (ids, scores) = ConstrainedBeamSearch.Search(trie, 1, beam: 1, k: 1, new TableScorer(Probs(), Cards));
        Assert.Equal([0], ids);
        Assert.Equal(Math.Log(0.30), scores[0], 5);

        // Beam 2 with K 3: the search widens to 3 beams; at level 1 the prefixes (0), (1), (2) all survive.
        (ids, _) = ConstrainedBeamSearch.Search(trie, 1, beam: 2, k: 3, new TableScorer(Probs(), Cards));
        Assert.Equal([0, 1, 3], ids);
    }

    [Fact]
    public void ExcludedItemsTakeNoPlaceAndQueriesAreIndependent()
    {
        var trie = new CodeTrie(Tuples, Cards);
        var scorer = new TableScorer(Probs(), Cards);
        var (ids, scores) = ConstrainedBeamSearch.Search(trie, 2, beam: 2, k: 2, scorer, [[0], []]);
        Assert.Equal([1, 2, 0, 1], ids);   // query 0: prefix (2) was pruned at level 0, so item 3 is out of reach
        Assert.Equal(Math.Log(0.20), scores[0], 5);
        Assert.Equal(Math.Log(0.30), scores[2], 5);
        Assert.Equal([2, 4], scorer.Calls);   // one root per query, then two beams per query in one batched call

        // Everything excluded: the row is all padding.
        (ids, scores) = ConstrainedBeamSearch.Search(trie, 1, beam: 4, k: 2, scorer, [[0, 1, 2, 3]]);
        Assert.Equal([-1, -1], ids);
        Assert.All(scores, s => Assert.Equal(float.NegativeInfinity, s));
    }

    [Fact]
    public void WithABeamAsWideAsTheCatalogTheSearchIsExactAndEveryOutputIsAnItem()
    {
        // Random tables over a 4 × 3 × 2 grid with 15 items: beam search (beam = 24) equals brute-force ranking.
        int[] cards = [4, 3, 2];
        var rng = new Random(3);
        var grid = (from a in Enumerable.Range(0, 4) from b in Enumerable.Range(0, 3) from c in Enumerable.Range(0, 2) select new[] { a, b, c }).ToArray();
        var items = grid.OrderBy(_ => rng.Next()).Take(15).ToArray();
        var trie = new CodeTrie(items.SelectMany(t => t).ToArray(), cards);
        var probs = new Dictionary<string, double[]>();
        double[] Random(int n) { var p = Enumerable.Range(0, n).Select(_ => rng.NextDouble() + 0.01).ToArray(); var s = p.Sum(); return p.Select(x => x / s).ToArray(); }
        probs[""] = Random(4);
        foreach (var t in grid) { probs[$"{t[0]}"] = probs.GetValueOrDefault($"{t[0]}") ?? Random(3); probs[$"{t[0]},{t[1]}"] = probs.GetValueOrDefault($"{t[0]},{t[1]}") ?? Random(2); }
        double LogP(int[] t) => Math.Log(probs[""][t[0]]) + Math.Log(probs[$"{t[0]}"][t[1]]) + Math.Log(probs[$"{t[0]},{t[1]}"][t[2]]);
        var want = Enumerable.Range(0, items.Length).OrderByDescending(i => LogP(items[i])).ToArray();

        var (ids, scores) = ConstrainedBeamSearch.Search(trie, 1, beam: 24, k: 15, new TableScorer(probs, cards));
        Assert.Equal(want, ids);
        for (int j = 0; j < 15; j++) Assert.Equal(LogP(items[want[j]]), scores[j], 4);

        // A narrow beam still returns only catalog items, each once.
        (ids, _) = ConstrainedBeamSearch.Search(trie, 1, beam: 3, k: 3, new TableScorer(probs, cards));
        Assert.All(ids, i => Assert.InRange(i, 0, 14));
        Assert.Equal(3, ids.Distinct().Count());
    }
}
