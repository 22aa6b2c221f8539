using System.Runtime.Intrinsics.X86;
using Recsys.Retrieval.Mips;

namespace Recsys.Tests.Retrieval;

/// <summary>With an over-fetch covering every item the int8 first pass cannot lose anything, so the full exact-MIPS contract holds.</summary>
public class Int8MipsIndexContractTests : MipsIndexContract
{
    protected override IMipsIndex Create(float[] items, int dim) => new Int8MipsIndex(items, dim, new Int8MipsOptions { OverFetch = 1_000_000 });
}

public class Int8MipsIndexTests
{
    private static List<Int8KernelKind> Supported()
    {
        var kinds = new List<Int8KernelKind> { Int8KernelKind.Scalar };
        if (Int8MipsIndex.VnniSupported) kinds.Add(Int8KernelKind.AvxVnni);
        return kinds;
    }

    public static TheoryData<Int8KernelKind> Kernels() => new(Supported());

    /// <summary>Mean fraction of the reference's top-k ids that <paramref name="got"/> returns.</summary>
    private static double Recall(MipsResult want, MipsResult got)
    {
        double sum = 0;
        for (int q = 0; q < want.NumQueries; q++)
        {
            var w = want.IdsOf(q).ToArray().Where(i => i >= 0).ToHashSet();
            sum += w.Count == 0 ? 1 : (double)got.IdsOf(q).ToArray().Count(w.Contains) / w.Count;
        }
        return sum / want.NumQueries;
    }

    [Theory]
    [MemberData(nameof(Kernels))]
    public void FullOverFetchEqualsExactCpuBitForBitAndBruteForceIds(Int8KernelKind kernel)
    {
        // 301 items (not a multiple of the 16-item panel), 21 queries, dim 30 (not a multiple of 4).
        const int d = 30, m = 301, n = 21, k = 12;
        var items = MipsTestData.Uniform(m, d, 11);
        var queries = MipsTestData.Uniform(n, d, 12);
        var ex = MipsTestData.RandomExclusions(n, m, 0.1, 13);
        using var int8 = new Int8MipsIndex(items, d, new Int8MipsOptions { Kernel = kernel, OverFetch = 1000, QueryBlock = 8, TileBytes = 4096, Threads = 2 });
        using var exact = new ExactCpuMipsIndex(items, d);
        using var brute = new BruteForceMipsIndex(items, d);
        var got = int8.Search(queries, k, ex);
        var want = exact.Search(queries, k, ex);
        Assert.Equal(want.Ids, got.Ids);
        Assert.Equal(want.Scores, got.Scores);
        Assert.Equal(brute.Search(queries, k, ex).Ids, got.Ids);
    }

    [Fact]
    public void PlantedTopKIsFoundWithDefaultOverFetch()
    {
        // Gaussian-like noise items, and for each query 20 planted items along its direction with clearly larger scores.
        const int d = 64, m = 5000, n = 40, k = 20;
        var rng = new Random(21);
        var items = MipsTestData.Uniform(m, d, 22);
        var queries = MipsTestData.Uniform(n, d, 23);
        var planted = new HashSet<int>[n];
        for (int q = 0; q < n; q++)
        {
            planted[q] = [];
            while (planted[q].Count < k)
            {
                int id = rng.Next(m);
                if (planted.Take(q).Any(s => s.Contains(id)) || !planted[q].Add(id)) continue;
                float gain = 1.5f + (float)rng.NextDouble();
                for (int t = 0; t < d; t++) items[id * d + t] = queries[q * d + t] * gain + (float)(rng.NextDouble() - 0.5) * 0.1f;
            }
        }
        using var index = new Int8MipsIndex(items, d);
        var got = index.Search(queries, k);
        for (int q = 0; q < n; q++) Assert.True(planted[q].SetEquals(got.IdsOf(q).ToArray()), $"query {q} missed a planted item");
        Assert.Equal(MipsTestData.Reference(items, queries, d, k).Scores, got.Scores);
    }

    [Fact]
    public void HighRecallOnUniformRandomData()
    {
        // The hard case: no structure, many near-ties around the k-th score.
        const int d = 64, m = 4000, n = 64, k = 20;
        var items = MipsTestData.Uniform(m, d, 31);
        var queries = MipsTestData.Uniform(n, d, 32);
        using var index = new Int8MipsIndex(items, d);
        var got = index.Search(queries, k);
        var want = MipsTestData.Reference(items, queries, d, k);
        double recall = Recall(want, got);
        Assert.True(recall >= 0.995, $"recall@{k} = {recall}");
        // Whatever is returned carries its exact score, best first.
        for (int q = 0; q < n; q++)
            for (int j = 1; j < k; j++) Assert.True(got.ScoresOf(q)[j - 1] >= got.ScoresOf(q)[j]);
    }

    [Theory]
    [MemberData(nameof(Kernels))]
    public void ExclusionsAndPaddingHonouredWithSmallOverFetch(Int8KernelKind kernel)
    {
        // 10 items, k = 15 > items: rows hold every non-excluded item, then −1 / −∞.
        const int d = 7, m = 10, n = 9, k = 15;
        var items = MipsTestData.Uniform(m, d, 41);
        var queries = MipsTestData.Uniform(n, d, 42);
        var ex = MipsTestData.RandomExclusions(n, m, 0.3, 43);
        using var index = new Int8MipsIndex(items, d, new Int8MipsOptions { Kernel = kernel, OverFetch = 1 });
        var got = index.Search(queries, k, ex);
        var want = MipsTestData.Reference(items, queries, d, k, ex);
        Assert.Equal(want.Ids, got.Ids);
        Assert.Equal(want.Scores, got.Scores);
        for (int q = 0; q < n; q++)
        {
            Assert.Equal(m - ex.Row(q).Length, got.IdsOf(q).ToArray().Count(i => i >= 0));
            foreach (int id in got.IdsOf(q)) Assert.True(id < 0 || ex.Row(q).BinarySearch(id) < 0, $"query {q} returned excluded item {id}");
        }
    }

    [Fact]
    public void ScalarAndVnniFirstPassesAgree()
    {
        if (!Int8MipsIndex.VnniSupported) return; // nothing to compare against on this CPU
        // OverFetch 1: the answer is exactly the first pass's candidate set, so any integer-score difference would show.
        const int d = 37, m = 700, n = 45, k = 9;
        var items = MipsTestData.Uniform(m, d, 51);
        // One outlier coarsens dimension 0's scale so that every other item's value there quantises to 0.
        items[0] = 1000f;
        var queries = MipsTestData.Uniform(n, d, 52);
        var ex = MipsTestData.RandomExclusions(n, m, 0.05, 53);
        using var simd = new Int8MipsIndex(items, d, new Int8MipsOptions { Kernel = Int8KernelKind.AvxVnni, OverFetch = 1 });
        using var scalar = new Int8MipsIndex(items, d, new Int8MipsOptions { Kernel = Int8KernelKind.Scalar, OverFetch = 1 });
        var a = simd.Search(queries, k, ex);
        var b = scalar.Search(queries, k, ex);
        Assert.Equal(b.Ids, a.Ids);
        Assert.Equal(b.Scores, a.Scores);
        // OverFetch 1 with the coarse dimension is genuinely approximate, so the test would notice a kernel that ignored the quantised scores.
        Assert.True(Recall(MipsTestData.Reference(items, queries, d, k, ex), a) < 1.0);
    }

    [Fact]
    public void SingleQuerySplitsItemsAcrossThreadsAndStaysExactWhenCovered()
    {
        const int d = 16, m = 3000, k = 10;
        var items = MipsTestData.Uniform(m, d, 61);
        var query = MipsTestData.Uniform(1, d, 62);
        using var index = new Int8MipsIndex(items, d, new Int8MipsOptions { Threads = 4, OverFetch = m });
        var got = index.Search(query, k);
        var want = MipsTestData.Reference(items, query, d, k);
        Assert.Equal(want.Ids, got.Ids);
        Assert.Equal(want.Scores, got.Scores);
        using var small = new Int8MipsIndex(items, d, new Int8MipsOptions { Threads = 4 });
        Assert.True(Recall(want, small.Search(query, k)) >= 0.9);
    }

    [Fact]
    public void NonFiniteValuesNeverReturnedAndOptionsValidated()
    {
        const int d = 4;
        var items = new float[] { 1, 0, 0, 0, float.NaN, 0, 0, 0, 0, 1, 0, 0, float.NegativeInfinity, 0, 0, 0 };
        using var index = new Int8MipsIndex(items, d, new Int8MipsOptions { OverFetch = 1 });
        var got = index.Search(new float[] { 1, 1, 0, 0 }, 4);
        Assert.Equal(new[] { 0, 2, -1, -1 }, got.Ids);
        Assert.Throws<ArgumentOutOfRangeException>(() => new Int8MipsOptions { OverFetch = 0 }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new Int8MipsOptions { TileBytes = 10 }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => index.Search(new float[d], 0));
        Assert.Throws<ArgumentException>(() => index.Search(new float[d + 1], 1));
    }

    [Fact]
    public void FractionalOverFetchRoundsTheCandidateCountUp()
    {
        var items = new float[100 * 4];
        using var index = new Int8MipsIndex(items, 4, new Int8MipsOptions { OverFetch = 1.1 });
        Assert.Equal(22, index.CandidatesFor(20));   // ⌈20 · 1.1⌉
        Assert.Equal(11, index.CandidatesFor(10));
        Assert.Equal(55, index.CandidatesFor(50));   // 50 · 1.1 is 55.00000000000001 in binary
        Assert.Equal(100, index.CandidatesFor(95));  // capped at the item count
        foreach (var bad in new[] { 0.5, double.NaN, double.PositiveInfinity })
            Assert.Throws<ArgumentOutOfRangeException>(() => new Int8MipsOptions { OverFetch = bad }.Validate());
    }
}
