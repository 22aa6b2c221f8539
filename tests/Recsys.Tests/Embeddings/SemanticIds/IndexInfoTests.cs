using Recsys.Data;
using Recsys.Data.SemanticIds;
using Recsys.Embeddings.SemanticIds;
using Recsys.Embeddings.SemanticIds.Schemes;

namespace Recsys.Tests.Embeddings.SemanticIds;

/// <summary>The figures of index info on codes small enough to count by hand.</summary>
public class IndexInfoTests
{
    [Fact]
    public void UsePerplexityPrefixesAndCollisionsByHand()
    {
        // 6 items, 2 levels of 4 codes: level 1 uses codes 0, 0, 0, 1, 1, 2; level 2 makes tuples (0,0) twice, (0,1), (1,3) twice, (2,0).
        int[] levelCodes = [0, 0, 0, 0, 0, 1, 1, 3, 1, 3, 2, 0];
        var c = SemanticIdCodes.Disambiguate(6, [4, 4], levelCodes, "test");
        var info = SemanticIndexInfo.Of(c);
        var l1 = info.PerLevel[0];
        Assert.Equal(3, l1.Used);
        Assert.Equal(0.75, l1.Use);
        // Perplexity = exp(H) with p = 3/6, 2/6, 1/6.
        double h = -(0.5 * Math.Log(0.5) + 1.0 / 3 * Math.Log(1.0 / 3) + 1.0 / 6 * Math.Log(1.0 / 6));
        Assert.Equal(Math.Exp(h), l1.Perplexity, 10);
        Assert.Equal(3, l1.UniquePrefixes);
        Assert.Equal(4, info.PerLevel[1].UniquePrefixes);
        Assert.Equal(3, info.PerLevel[1].Used);       // codes 0, 1, 3
        Assert.Equal(4, info.UniqueTuples);
        Assert.Equal(2, info.ItemsNeedingLastCode);
        Assert.Equal(2, info.LargestCollisionGroup);
        Assert.Equal(4.0 / 6, info.UniqueFraction, 12);
        Assert.Null(info.TopCategoryNmi);
    }

    [Fact]
    public void NmiIsOneForRelabelledAgreementAndZeroForIndependence()
    {
        Assert.Equal(1, SemanticIndexInfo.Nmi([0, 0, 1, 1, 2, 2], [5, 5, 3, 3, 9, 9]), 12);
        Assert.Equal(0, SemanticIndexInfo.Nmi([0, 0, 1, 1], [0, 1, 0, 1]), 12);
        // a = (0,0,1,1), b = (0,0,0,1): I = H(b) − H(b|a) = h(1/4) − ½·h(½); NMI = 2I / (H(a) + H(b)).
        static double Hb(double p) => -(p * Math.Log(p) + (1 - p) * Math.Log(1 - p));
        double i = Hb(0.25) - 0.5 * Hb(0.5);
        Assert.Equal(2 * i / (Math.Log(2) + Hb(0.25)), SemanticIndexInfo.Nmi([0, 0, 1, 1], [0, 0, 0, 1]), 12);
    }

    [Fact]
    public void TopCategoryIsTheItemsMostCommonAttribute()
    {
        // Attributes: 0 = "Makeup" (items 0, 1, 2), 1 = "Lips" (items 0, 1), 2 = brand "X" (item 0), 3 = "Skin" (item 3).
        var at = new ItemAttributes([0, 0, 0, 1, 1, 2, 3], [2, 1, 0, 0, 1, 0, 3], ["Makeup", "Lips", "X", "Skin"]);
        var paths = CategoryPaths.From(at, 5);
        Assert.Equal(new[] { 0, 1, 2 }, paths.Of(0).ToArray());
        Assert.Equal(new[] { 0, 1 }, paths.Of(1).ToArray());
        Assert.Equal(3, paths.Top(3));
        Assert.Equal(-1, paths.Top(4));
        // c1 = top category for items 0..3 (item 4 has none and is left out) → NMI 1.
        var c = SemanticIdCodes.Disambiguate(5, [4], [0, 0, 0, 3, 1], "test");
        var info = SemanticIndexInfo.Of(c, at);
        Assert.Equal(4, info.ItemsWithCategory);
        Assert.Equal(1, info.TopCategoryNmi!.Value, 12);
    }
}
