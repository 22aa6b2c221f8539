using Recsys.Models;

namespace Recsys.Tests.Models.Tiger;

public class CodeTrieTests
{
    [Fact]
    public void TheTrieAdmitsExactlyTheCatalogsTuples()
    {
        // 40 distinct tuples drawn from the 3 × 4 × 5 grid; every one of the 60 grid tuples is asked for.
        int[] cards = [3, 4, 5];
        var rng = new Random(7);
        var all = (from a in Enumerable.Range(0, 3) from b in Enumerable.Range(0, 4) from c in Enumerable.Range(0, 5) select new[] { a, b, c }).ToArray();
        var chosen = all.OrderBy(_ => rng.Next()).Take(40).ToArray();
        var trie = new CodeTrie(chosen.SelectMany(t => t).ToArray(), cards);

        Assert.Equal(40, trie.NumItems);
        for (int i = 0; i < chosen.Length; i++) Assert.Equal(i, trie.Find(chosen[i]));
        var inCatalog = chosen.Select(t => (t[0], t[1], t[2])).ToHashSet();
        foreach (var t in all)
            if (!inCatalog.Contains((t[0], t[1], t[2]))) Assert.Equal(-1, trie.Find(t));
        Assert.Equal(-1, trie.Find(chosen[0].AsSpan(0, 2)));   // a prefix is not an item

        // Walking every path from the root reaches each item exactly once, at depth 3, and nothing else.
        var reached = new List<int>();
        void Walk(int node, int depth)
        {
            if (depth == 3) { reached.Add(trie.ItemAt(node)); return; }
            Assert.Equal(-1, trie.ItemAt(node));
            var codes = trie.ChildCodes(node).ToArray();
            Assert.Equal(codes.Order(), codes);
            foreach (int child in trie.ChildNodes(node).ToArray()) Walk(child, depth + 1);
        }
        Walk(0, 0);
        Assert.Equal(Enumerable.Range(0, 40), reached.Order());
    }

    [Fact]
    public void DuplicateOrOutOfRangeTuplesAreRefused()
    {
        var dup = Assert.Throws<ArgumentException>(() => new CodeTrie([0, 1, 1, 0, 0, 1], [2, 2]));
        Assert.Contains("items 0 and 2", dup.Message);
        var range = Assert.Throws<ArgumentException>(() => new CodeTrie([0, 2], [2, 2]));
        Assert.Contains("column 1", range.Message);
    }
}
