using Recsys.Retrieval.Mips;

namespace Recsys.Tests.Retrieval;

public class ExactCpuMipsIndexTests : MipsIndexContract
{
    protected override IMipsIndex Create(float[] items, int dim) => new ExactCpuMipsIndex(items, dim);

    private static List<MipsKernelKind> Supported()
    {
        var d = new List<MipsKernelKind> { MipsKernelKind.Scalar };
        if (System.Runtime.Intrinsics.X86.Avx2.IsSupported && System.Runtime.Intrinsics.X86.Fma.IsSupported) d.Add(MipsKernelKind.Vector256);
        if (System.Runtime.Intrinsics.X86.Avx512F.IsSupported) d.Add(MipsKernelKind.Vector512);
        return d;
    }

    public static TheoryData<MipsKernelKind> Kernels() => new(Supported());

    [Theory]
    [MemberData(nameof(Kernels))]
    public void MatchesReferenceWithTiesOnIntegerData(MipsKernelKind kernel)
    {
        // 77 items (not a multiple of the 32-item panel), 19 queries (not a multiple of 8), odd dim; ties are everywhere.
        const int d = 13, m = 77, n = 19, k = 10;
        var items = MipsTestData.Integers(m, d, 1);
        var queries = MipsTestData.Integers(n, d, 2);
        using var index = new ExactCpuMipsIndex(items, d, new ExactCpuMipsOptions { Kernel = kernel, Threads = 2, QueryBlock = 8, TileBytes = 4096 });
        var got = index.Search(queries, k);
        var want = MipsTestData.Reference(items, queries, d, k);
        Assert.Equal(want.Ids, got.Ids);
        Assert.Equal(want.Scores, got.Scores);
    }

    [Theory]
    [MemberData(nameof(Kernels))]
    public void MatchesReferenceOnFloatDataWithExclusions(MipsKernelKind kernel)
    {
        const int d = 64, m = 1000, n = 50, k = 20;
        var items = MipsTestData.Uniform(m, d, 3);
        var queries = MipsTestData.Uniform(n, d, 4);
        var ex = MipsTestData.RandomExclusions(n, m, 0.05, 5);
        using var index = new ExactCpuMipsIndex(items, d, new ExactCpuMipsOptions { Kernel = kernel });
        var got = index.Search(queries, k, ex);
        var want = MipsTestData.Reference(items, queries, d, k, ex);
        Assert.Equal(want.Ids, got.Ids);
        Assert.Equal(want.Scores, got.Scores);
        for (int q = 0; q < n; q++)
            foreach (int id in got.IdsOf(q)) Assert.True(ex.Row(q).BinarySearch(id) < 0, $"query {q} returned excluded item {id}");
    }

    [Fact]
    public void KernelsAgreeBitForBit()
    {
        const int d = 37, m = 300, n = 33, k = 7;
        var items = MipsTestData.Uniform(m, d, 6);
        var queries = MipsTestData.Uniform(n, d, 7);
        MipsResult? first = null;
        foreach (var kernel in Supported())
        {
            using var index = new ExactCpuMipsIndex(items, d, new ExactCpuMipsOptions { Kernel = kernel });
            var r = index.Search(queries, k);
            if (first is null) { first = r; continue; }
            Assert.Equal(first.Ids, r.Ids);
            Assert.Equal(first.Scores, r.Scores);
        }
    }

    [Fact]
    public void KLargerThanCandidatesIsPaddedWithMinusOne()
    {
        const int d = 4, m = 5;
        var items = MipsTestData.Integers(m, d, 8);
        var queries = MipsTestData.Integers(2, d, 9);
        // Query 0 excludes items 1 and 3, leaving 3 candidates for k = 8.
        var ex = new Exclusions([0, 2, 2], [1, 3]);
        using var index = new ExactCpuMipsIndex(items, d);
        var r = index.Search(queries, 8, ex);
        Assert.Equal(3, r.IdsOf(0).ToArray().Count(i => i >= 0));
        Assert.Equal(5, r.IdsOf(1).ToArray().Count(i => i >= 0));
        Assert.Equal(new[] { -1, -1, -1, -1, -1 }, r.IdsOf(0)[3..].ToArray());
        Assert.All(r.ScoresOf(0)[3..].ToArray(), s => Assert.Equal(float.NegativeInfinity, s));
        Assert.Equal(MipsTestData.Reference(items, queries, d, 8, ex).Ids, r.Ids);
    }

    [Fact]
    public void KnownAnswerOnOrthogonalItems()
    {
        // Items are the unit vectors e0..e3 scaled by 1..4; query (1,1,1,1) ranks them 3,2,1,0; query e1 puts item 1 first, then ties at 0 by id.
        float[] items = [1, 0, 0, 0, 0, 2, 0, 0, 0, 0, 3, 0, 0, 0, 0, 4];
        float[] queries = [1, 1, 1, 1, 0, 1, 0, 0];
        using var index = new ExactCpuMipsIndex(items, 4);
        var r = index.Search(queries, 3);
        Assert.Equal(new[] { 3, 2, 1 }, r.IdsOf(0).ToArray());
        Assert.Equal(new[] { 4f, 3f, 2f }, r.ScoresOf(0).ToArray());
        Assert.Equal(new[] { 1, 0, 2 }, r.IdsOf(1).ToArray());
        Assert.Equal(new[] { 2f, 0f, 0f }, r.ScoresOf(1).ToArray());
    }

    [Fact]
    public void BatchEqualsSingleQuery()
    {
        const int d = 16, m = 500, n = 40, k = 15;
        var items = MipsTestData.Integers(m, d, 10);
        var queries = MipsTestData.Integers(n, d, 11);
        var ex = MipsTestData.RandomExclusions(n, m, 0.1, 12);
        using var index = new ExactCpuMipsIndex(items, d);
        var batch = index.Search(queries, k, ex);
        for (int q = 0; q < n; q++)
        {
            var single = index.Search(queries.AsSpan(q * d, d), k, ex.Slice(q, 1));
            Assert.Equal(batch.IdsOf(q).ToArray(), single.Ids);
            Assert.Equal(batch.ScoresOf(q).ToArray(), single.Scores);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(8)]
    public void ThreadCountAndItemSplitsDoNotChangeTheAnswer(int threads)
    {
        // Two queries over many items: with several threads the item range is split and the partial lists merged.
        const int d = 8, m = 2000, k = 25;
        var items = MipsTestData.Integers(m, d, 13);
        var queries = MipsTestData.Integers(2, d, 14);
        using var index = new ExactCpuMipsIndex(items, d, new ExactCpuMipsOptions { Threads = threads, TileBytes = 4096 });
        Assert.Equal(MipsTestData.Reference(items, queries, d, k).Ids, index.Search(queries, k).Ids);
    }

    [Fact]
    public void RejectsBadArguments()
    {
        using var index = new ExactCpuMipsIndex(new float[12], 4);
        Assert.Equal(3, index.Count);
        Assert.Throws<ArgumentOutOfRangeException>(() => index.Search(new float[4], 0));
        Assert.Throws<ArgumentException>(() => index.Search(new float[5], 1));
        Assert.Throws<ArgumentException>(() => index.Search(new float[8], 1, new Exclusions([0, 0], [])));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ExactCpuMipsIndex(new float[4], 4, new ExactCpuMipsOptions { QueryBlock = 0 }));
        Assert.Throws<ArgumentException>(() => new ExactCpuMipsIndex(new float[5], 4));
    }

    [Fact]
    public void EmptyQueriesGiveEmptyResult()
    {
        using var index = new ExactCpuMipsIndex(MipsTestData.Uniform(10, 4, 1), 4);
        var r = index.Search(ReadOnlySpan<float>.Empty, 5);
        Assert.Equal(0, r.NumQueries);
        Assert.Empty(r.Ids);
    }
}

/// <summary>The seam's contract again with the AVX2 kernel forced (and tiny tiles and blocks, so every loop boundary is crossed).</summary>
public class ExactCpuMipsIndexVector256ContractTests : MipsIndexContract
{
    protected override IMipsIndex Create(float[] items, int dim) => new ExactCpuMipsIndex(items, dim, new ExactCpuMipsOptions
    {
        Kernel = System.Runtime.Intrinsics.X86.Avx2.IsSupported && System.Runtime.Intrinsics.X86.Fma.IsSupported ? MipsKernelKind.Vector256 : MipsKernelKind.Scalar,
        QueryBlock = 8, TileBytes = 4096,
    });
}

/// <summary>The seam's contract with the portable scalar kernel.</summary>
public class ExactCpuMipsIndexScalarContractTests : MipsIndexContract
{
    protected override IMipsIndex Create(float[] items, int dim) => new ExactCpuMipsIndex(items, dim, new ExactCpuMipsOptions { Kernel = MipsKernelKind.Scalar });
}
