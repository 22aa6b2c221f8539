using Recsys.Catalog;
using Recsys.Data;
using Recsys.Data.SemanticIds;
using Recsys.Embeddings.SemanticIds;
using Recsys.Embeddings.SemanticIds.RqVae;

namespace Recsys.Tests.Embeddings.SemanticIds;

/// <summary>The balanced last level: collisions removed at least distortion, other prefixes untouched, capacities kept, and RQ-VAE with it deterministic.</summary>
public class BalancedLastLevelTests
{
    // 1-d latent; last-level codewords at 0, 1, 2, 3.
    private static readonly float[] Book = [0, 1, 2, 3];

    [Fact]
    public void CollidingItemsSpreadToTheNearestFreeCodewordAndOtherPrefixesStay()
    {
        // Prefix c1 = 0 holds residuals 0.0, 0.2, 2.0 (nearest 0, 0, 2: the first two collide); prefix c1 = 1 holds 0.0 → 0,
        // the same last code as in prefix 0 but another tuple.
        int[] codes = [0, 0, 0, 0, 0, 2, 1, 0];
        float[] residual = [0f, 0.2f, 2f, 0f];
        int moved = BalancedLastLevel.Assign(codes, 2, residual, Book, 1, epsilon: 0.01, iterations: 2000);
        // Least distortion: 0.2 moves to codeword 1 (0.64) rather than 0.0 (1 + 0.04); 2.0 keeps 2; prefix 1 is untouched.
        Assert.Equal(new[] { 0, 0, 0, 1, 0, 2, 1, 0 }, codes);
        Assert.Equal(1, moved);
    }

    [Fact]
    public void NearestAssignmentCollidesWhereBalancedGivesEveryItemItsOwnTuple()
    {
        // Six items of one prefix in two tight bunches, near codewords 0 and 3: nearest gives two codes for six items.
        float[] residual = [0f, 0.05f, 0.1f, 2.9f, 2.95f, 3f];
        var nearest = residual.Select(r => Enumerable.Range(0, 4).MinBy(j => Math.Abs(r - Book[j]))).ToArray();
        Assert.Equal(2, nearest.Distinct().Count());
        var codes = nearest.SelectMany(c => new[] { 5, c }).ToArray();
        var withTwoPerCode = (int[])codes.Clone();
        BalancedLastLevel.Assign(codes, 2, residual, Book, 1, 0.01, 2000);
        // Six items, four codewords: capacity ⌈6/4⌉ = 2 per code; the lowest bunch keeps 0 and spills to 1, the highest keeps 3 and spills to 2.
        var last = Enumerable.Range(0, 6).Select(i => codes[i * 2 + 1]).ToArray();
        Assert.All(Enumerable.Range(0, 4), j => Assert.InRange(last.Count(c => c == j), 1, 2));
        Assert.True(last[0] <= 1 && last[1] <= 1 && last[2] <= 1 && last[3] >= 2 && last[4] >= 2 && last[5] >= 2);
        Assert.All(Enumerable.Range(0, 6), i => Assert.Equal(5, codes[i * 2]));
        Assert.NotEqual(withTwoPerCode, codes);

        // With at most K items in the prefix every tuple becomes unique.
        float[] four = [0f, 0.05f, 0.1f, 0.15f];
        int[] fourCodes = [5, 0, 5, 0, 5, 0, 5, 0];
        Assert.Equal(3, BalancedLastLevel.Assign(fourCodes, 2, four, Book, 1, 0.01, 2000));
        Assert.Equal(new[] { 0, 1, 2, 3 }, Enumerable.Range(0, 4).Select(i => fourCodes[i * 2 + 1]).Order().ToArray());
    }

    [Fact]
    public void CodesOutsideTheCodebookAreRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => BalancedLastLevel.Assign([0, 4], 2, [0f], Book, 1, 0.01, 10));
        Assert.Throws<ArgumentException>(() => BalancedLastLevel.Assign([0, 1], 2, [0f, 1f], Book, 1, 0.01, 10));
    }

    private static SemanticIndexInput Clumped()
    {
        // 60 items in 3 tight clumps of 20 in 6-d: with 2 levels × 4 codes nearest assignment must share tuples.
        var rng = new Random(3);
        var x = new float[60 * 6];
        for (int i = 0; i < 60; i++)
            for (int d = 0; d < 6; d++)
                x[i * 6 + d] = (d == i % 3 ? 5f : 0f) + (float)(rng.NextDouble() - 0.5) * 0.5f;
        return new SemanticIndexInput(60) { Features = new ItemFeatures(60, 6, x) };
    }

    private static SemanticIdCodes RqVae(LastLevelAssignment last) =>
        RqVaeKind.Registration.Create(new SemanticIndexSettings { Levels = 2, Codes = 4, Seed = 2 },
            new KindArguments().Set(RqVaeKind.Epochs, 3).Set(RqVaeKind.Batch, 16).Set(RqVaeKind.Latent, 4).Set(RqVaeKind.LastLevel, last))
        .Index(Clumped()).Codes;

    [Fact]
    public void RqVaeWithTheBalancedLastLevelIsDeterministicAndCollidesLess()
    {
        var a = RqVae(LastLevelAssignment.Balanced);
        var b = RqVae(LastLevelAssignment.Balanced);
        Assert.Equal(a.All.ToArray(), b.All.ToArray());
        var nearest = RqVae(LastLevelAssignment.Nearest);
        var balancedInfo = SemanticIndexInfo.Of(a);
        var nearestInfo = SemanticIndexInfo.Of(nearest);
        Assert.True(balancedInfo.UniqueTuples > nearestInfo.UniqueTuples,
            $"balanced {balancedInfo.UniqueTuples} vs nearest {nearestInfo.UniqueTuples} unique tuples");
        // The first level is formed the same way in both: the same trained network, the same codes.
        Assert.Equal(Enumerable.Range(0, 60).Select(i => nearest.Of(i)[0]), Enumerable.Range(0, 60).Select(i => a.Of(i)[0]));
    }
}
