using Recsys.Retrieval.Mips;

namespace Recsys.Tests.Retrieval;

/// <summary>An exact first pass refined by the FP32 re-rank: the full contract must hold at any over-fetch.</summary>
public class RefineIndexContractTests : MipsIndexContract
{
    protected override IMipsIndex Create(float[] items, int dim) =>
        new RefineIndex(new BruteForceMipsIndex(items, dim), items, dim, new RefineOptions { OverFetch = 1 });
}

/// <summary>The int8 scan refined through the public wrapper, with an over-fetch covering every item: exact.</summary>
public class RefineInt8ContractTests : MipsIndexContract
{
    protected override IMipsIndex Create(float[] items, int dim) =>
        new RefineIndex(new Int8ScanIndex(items, dim), items, dim, new RefineOptions { OverFetch = 1_000_000 });
}

/// <summary>The exact stage can be an exact index: ExactCpuMipsIndex scores candidates from its packed panels.</summary>
public class RefineOverExactIndexContractTests : MipsIndexContract
{
    protected override IMipsIndex Create(float[] items, int dim) =>
        new RefineIndex(new Int8ScanIndex(items, dim), new ExactCpuMipsIndex(items, dim), new RefineOptions { OverFetch = 1_000_000 });
}

public class RefineIndexTests
{
    [Fact]
    public void ExactIndexStageGivesTheSameAnswerAsTheFp32Vectors()
    {
        int count = 2000, dim = 20, n = 50, k = 15;
        var items = MipsTestData.Uniform(count, dim, seed: 75);
        var q = MipsTestData.Uniform(n, dim, seed: 76);
        using var int8 = new Int8MipsIndex(items, dim);
        using var refine = new RefineIndex(new Int8ScanIndex(items, dim), new ExactCpuMipsIndex(items, dim));
        var a = int8.Search(q, k);
        var b = refine.Search(q, k);
        Assert.Equal(a.Ids, b.Ids);
        Assert.Equal(a.Scores, b.Scores);
    }

    [Fact]
    public void Int8IndexEqualsRefineOverTheInt8Scan()
    {
        int count = 3000, dim = 32, n = 64, k = 20;
        var items = MipsTestData.Uniform(count, dim, seed: 71);
        var q = MipsTestData.Uniform(n, dim, seed: 72);
        var ex = MipsTestData.RandomExclusions(n, count, 0.02, seed: 73);
        using var int8 = new Int8MipsIndex(items, dim);
        using var refine = new RefineIndex(new Int8ScanIndex(items, dim), items, dim, new RefineOptions { OverFetch = 1.25 });
        Assert.Equal(int8.CandidatesFor(k), refine.CandidatesFor(k));
        var a = int8.Search(q, k, ex);
        var b = refine.Search(q, k, ex);
        Assert.Equal(a.Ids, b.Ids);
        Assert.Equal(a.Scores, b.Scores);
        // A near-exact answer: high recall against the exact index, and exact scores for what it returns.
        var exact = MipsTestData.Reference(items, q, dim, k, ex);
        double hits = 0;
        for (int i = 0; i < n; i++) hits += a.IdsOf(i).ToArray().Intersect(exact.IdsOf(i).ToArray()).Count();
        Assert.True(hits / (n * k) > 0.95, $"recall {hits / (n * k)}");
    }

    [Fact]
    public void Int8ScanRowsAreSortedAndIndependentOfThreads()
    {
        int count = 2000, dim = 16, k = 25;
        var items = MipsTestData.Uniform(count, dim, seed: 81);
        var q = MipsTestData.Uniform(3, dim, seed: 82);   // few queries: the item range is split across threads
        using var one = new Int8ScanIndex(items, dim, new Int8MipsOptions { Threads = 1 });
        using var many = new Int8ScanIndex(items, dim, new Int8MipsOptions { Threads = 8 });
        var a = one.Search(q, k);
        var b = many.Search(q, k);
        Assert.Equal(a.Ids, b.Ids);
        for (int i = 0; i < 3; i++)
        {
            var s = a.ScoresOf(i); var ids = a.IdsOf(i);
            for (int j = 1; j < k; j++) Assert.True(s[j - 1] > s[j] || (s[j - 1] == s[j] && ids[j - 1] < ids[j]));
        }
    }

    [Fact]
    public void RejectsStagesOverDifferentItems()
    {
        using var first = new BruteForceMipsIndex(new float[8], 2);
        Assert.Throws<ArgumentException>(() => new RefineIndex(first, new float[6], 2, ownsStages: false));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RefineOptions { OverFetch = 0.9 }.Validate());
    }
}
