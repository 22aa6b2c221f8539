using Recsys.Data;
using Recsys.Embeddings.GraphHash;

namespace Recsys.Tests.Embeddings;

public class GraphHashMappingTests
{
    [Fact]
    public void SplitSidesNumbersEachSideByFirstAppearance()
    {
        var (u, i, uc, ic) = GraphHashMapping.SplitSides([5, 2, 5, 9, 2, 2, 7], 3);
        Assert.Equal([0, 1, 0], u);
        Assert.Equal([0, 1, 1, 2], i);
        Assert.Equal(2, uc);
        Assert.Equal(3, ic);
    }

    [Fact]
    public void TwoCommunitiesShareRowsWithinSides()
    {
        // Users 0-3 buy items 0-3, users 4-7 buy items 4-7: two clean blocks.
        var us = new List<int>(); var its = new List<int>();
        for (int u = 0; u < 8; u++)
            for (int i = 0; i < 4; i++) { us.Add(u); its.Add((u / 4) * 4 + i); }
        var r = InteractionMatrix.From(us.ToArray(), its.ToArray(), 8, 8);
        var m = GraphHashMapping.Build(r, new LouvainOptions { Seed = 1 });
        Assert.Equal([0, 0, 0, 0, 1, 1, 1, 1], m.UserRows);
        Assert.Equal([0, 0, 0, 0, 1, 1, 1, 1], m.ItemRows);
        Assert.Equal(2, m.UserRowCount);
        Assert.Equal(2, m.ItemRowCount);
        Assert.Equal(4.0, m.CompressionRatio);
        Assert.Equal(16, m.Concatenated().Length);
        Assert.Equal(0.5, m.Modularity, 10); // Barber: two blocks, each e_c/m = 1/2, K_c D_c/m² = 1/4.
    }
}
