using Recsys.Retrieval.Mips;
using Recsys.Tests.Infrastructure;

namespace Recsys.Tests.Retrieval;

public class ExactCpuMipsGowallaTests
{
    /// <summary>
    /// Real exclusion lists: the first 64 Gowalla users' training items (parsed from the LightGCN train.txt), random
    /// vectors over all 40,981 items; the fused kernel must match the reference exactly and never return a training item.
    /// </summary>
    [RequiresDatasetFact("gowalla/train.txt")]
    [Trait("Category", "Slow")]
    public void MatchesReferenceWithGowallaTrainingExclusions()
    {
        const int users = 64, items = 40_981, d = 64, k = 20;
        var ptr = new int[users + 1];
        var ids = new List<int>();
        foreach (var line in File.ReadLines(TestPaths.Dataset("gowalla/train.txt")).Take(users).Select((l, u) => (l, u)))
        {
            var row = line.l.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(int.Parse).Distinct().Order().ToArray();
            ids.AddRange(row);
            ptr[line.u + 1] = ids.Count;
        }
        var ex = new Exclusions(ptr, ids.ToArray());
        var itemVecs = MipsTestData.Uniform(items, d, 51);
        var queries = MipsTestData.Uniform(users, d, 52);
        using var index = new ExactCpuMipsIndex(itemVecs, d);
        var got = index.Search(queries, k, ex);
        var want = MipsTestData.Reference(itemVecs, queries, d, k, ex);
        Assert.Equal(want.Ids, got.Ids);
        for (int q = 0; q < users; q++)
            foreach (int id in got.IdsOf(q)) Assert.True(ex.Row(q).BinarySearch(id) < 0);
    }
}
