using Recsys.Retrieval.Mips;

namespace Recsys.Tests.Retrieval;

/// <summary>Builds shard sets over uneven consecutive item ranges of one matrix.</summary>
internal static class Shards
{
    /// <summary>Cut points splitting <paramref name="count"/> rows into up to <paramref name="parts"/> non-empty uneven ranges.</summary>
    public static int[] Cuts(int count, int parts)
    {
        var cuts = new List<int> { 0 };
        for (int p = 1; p < parts; p++)
        {
            int c = (int)((long)count * p * p / (parts * parts));   // uneven: quadratic spacing
            if (c > cuts[^1] && c < count) cuts.Add(c);
        }
        cuts.Add(count);
        return cuts.ToArray();
    }

    public static ShardedIndex OverRanges(float[] items, int dim, int parts, Func<float[], IMipsIndex> create)
    {
        var cuts = Cuts(items.Length / dim, parts);
        var shards = new List<IMipsIndex>();
        for (int s = 0; s + 1 < cuts.Length; s++) shards.Add(create(items[(cuts[s] * dim)..(cuts[s + 1] * dim)]));
        return ShardedIndex.OverRanges(shards);
    }
}

public class ShardedBruteForceContractTests : MipsIndexContract
{
    protected override IMipsIndex Create(float[] items, int dim) => Shards.OverRanges(items, dim, 3, x => new BruteForceMipsIndex(x, dim));
}

public class ShardedExactCpuContractTests : MipsIndexContract
{
    protected override IMipsIndex Create(float[] items, int dim) => Shards.OverRanges(items, dim, 4, x => new ExactCpuMipsIndex(x, dim));
}

/// <summary>Id-mapped shards: items dealt round-robin, so every shard's ids interleave with the others'.</summary>
public class ShardedIdMappedContractTests : MipsIndexContract
{
    protected override IMipsIndex Create(float[] items, int dim)
    {
        int count = items.Length / dim, parts = Math.Min(3, count);
        var shards = new List<IMipsIndex>();
        for (int s = 0; s < parts; s++)
        {
            var rows = Enumerable.Range(0, count).Where(i => i % parts == s).ToArray();
            var x = rows.SelectMany(r => items.AsSpan(r * dim, dim).ToArray()).ToArray();
            shards.Add(new IdMapIndex(new ExactCpuMipsIndex(x, dim), rows));
        }
        return ShardedIndex.OverIdMapped(shards);
    }
}

public class ShardedIndexTests
{
    [Fact]
    public void MergeEqualsTheWholeMatrixIndexWithTiesAndExclusionsAcrossShards()
    {
        int count = 3000, dim = 8, n = 50, k = 30;
        // Values in {-1, 0, 1}: many exact ties, and tie groups that straddle every shard boundary.
        var items = MipsTestData.Integers(count, dim, seed: 31, range: 1);
        var q = MipsTestData.Integers(n, dim, seed: 32, range: 1);
        var ex = MipsTestData.RandomExclusions(n, count, 0.05, seed: 33);
        using var whole = new ExactCpuMipsIndex(items, dim);
        using var sharded = Shards.OverRanges(items, dim, 5, x => new ExactCpuMipsIndex(x, dim));
        Assert.Equal(5, sharded.Shards.Count);
        var expected = whole.Search(q, k, ex);
        var got = sharded.Search(q, k, ex);
        Assert.Equal(expected.Ids, got.Ids);
        Assert.Equal(expected.Scores, got.Scores);
        var brute = MipsTestData.Reference(items, q, dim, k, ex);
        Assert.Equal(brute.Ids, got.Ids);
    }

    [Fact]
    public void ContinuousScoresAreBitIdenticalToTheWholeMatrixIndex()
    {
        int count = 2500, dim = 24, n = 40, k = 20;
        var items = MipsTestData.Uniform(count, dim, seed: 41);
        var q = MipsTestData.Uniform(n, dim, seed: 42);
        using var whole = new ExactCpuMipsIndex(items, dim);
        using var sharded = Shards.OverRanges(items, dim, 3, x => new ExactCpuMipsIndex(x, dim));
        var expected = whole.Search(q, k);
        var got = sharded.Search(q, k);
        Assert.Equal(expected.Ids, got.Ids);
        Assert.Equal(expected.Scores, got.Scores);
    }

    [Fact]
    public void RejectsShardsOfDifferentDimensions()
    {
        using var a = new BruteForceMipsIndex(new float[8], 2);
        using var b = new BruteForceMipsIndex(new float[9], 3);
        Assert.Throws<ArgumentException>(() => ShardedIndex.OverRanges([a, b], ownsShards: false));
    }
}
