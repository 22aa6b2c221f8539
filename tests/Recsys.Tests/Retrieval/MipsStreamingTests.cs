using Recsys.Retrieval.Mips;

namespace Recsys.Tests.Retrieval;

public class MipsStreamingTests
{
    [Fact]
    public void BlocksConcatenateToTheFullSearch()
    {
        const int d = 8, m = 300, n = 53, k = 6;
        var items = MipsTestData.Integers(m, d, 31);
        var queries = MipsTestData.Integers(n, d, 32);
        var ex = MipsTestData.RandomExclusions(n, m, 0.05, 33);
        using var index = new ExactCpuMipsIndex(items, d);
        var full = index.Search(queries, k, ex);
        var ids = new int[n * k];
        var starts = new List<int>();
        index.SearchBlocks(queries, k, ex, (first, block) =>
        {
            starts.Add(first);
            Assert.True(block.NumQueries <= 10);
            block.Ids.CopyTo(ids, first * k);
        }, blockSize: 10);
        Assert.Equal(new[] { 0, 10, 20, 30, 40, 50 }, starts);
        Assert.Equal(full.Ids, ids);
    }
}
