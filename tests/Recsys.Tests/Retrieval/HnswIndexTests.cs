using Recsys.Retrieval.Mips;
using Recsys.Retrieval.Mips.Hnsw;

namespace Recsys.Tests.Retrieval;

/// <summary>
/// When the candidates cover every item the beam never fills, the walk reaches every node of the (connected) graph
/// and the exact re-rank makes the answer exact: the full exact-MIPS contract then holds, ties and exclusions included.
/// </summary>
public class HnswIndexContractTests : MipsIndexContract
{
    internal static readonly HnswOptions Exhaustive = new() { OverFetch = 1_000_000 };

    protected override IMipsIndex Create(float[] items, int dim) => new HnswIndex(items, dim, Exhaustive);
}

/// <summary>HNSW under an id map with a non-increasing map (external ids, tie order by external id).</summary>
public class HnswIdMapContractTests : MipsIndexContract
{
    protected override IMipsIndex Create(float[] items, int dim)
    {
        int count = items.Length / dim;
        var rng = new Random(count);
        var perm = Enumerable.Range(0, count).OrderBy(_ => rng.Next()).ToArray();
        var x = perm.SelectMany(r => items.AsSpan(r * dim, dim).ToArray()).ToArray();
        return new IdMapIndex(new HnswIndex(x, dim, HnswIndexContractTests.Exhaustive), perm);
    }
}

/// <summary>HNSW graphs as the shards of a <see cref="ShardedIndex"/>: the merged answer is the whole-matrix answer.</summary>
public class HnswShardedContractTests : MipsIndexContract
{
    protected override IMipsIndex Create(float[] items, int dim) =>
        Shards.OverRanges(items, dim, 3, x => new HnswIndex(x, dim, HnswIndexContractTests.Exhaustive));
}

public class HnswIndexTests
{
    /// <summary>Standard normal entries (Box–Muller).</summary>
    private static float[] Gaussian(int rows, int dim, int seed)
    {
        var rng = new Random(seed);
        var a = new float[rows * dim];
        for (int i = 0; i < a.Length; i += 2)
        {
            double u = 1.0 - rng.NextDouble(), v = rng.NextDouble(), r = Math.Sqrt(-2 * Math.Log(u));
            a[i] = (float)(r * Math.Cos(2 * Math.PI * v));
            if (i + 1 < a.Length) a[i + 1] = (float)(r * Math.Sin(2 * Math.PI * v));
        }
        return a;
    }

    /// <summary>Mean fraction of the reference's top-k ids found.</summary>
    internal static double Recall(MipsResult want, MipsResult got)
    {
        double sum = 0;
        for (int q = 0; q < want.NumQueries; q++)
        {
            var w = want.IdsOf(q).ToArray().Where(i => i >= 0).ToHashSet();
            sum += w.Count == 0 ? 1 : (double)got.IdsOf(q).ToArray().Count(w.Contains) / w.Count;
        }
        return sum / want.NumQueries;
    }

    private static readonly Lazy<(float[] Items, float[] Queries, HnswIndex Index, MipsResult Exact)> TenK = new(() =>
    {
        const int d = 32, m = 10_000, n = 300, k = 10;
        var items = Gaussian(m, d, 1);
        var queries = Gaussian(n, d, 2);
        using var exact = new ExactCpuMipsIndex(items, d);
        return (items, queries, new HnswIndex(items, d), exact.Search(queries, k));
    });

    [Fact]
    public void RecallAtTenOnRandomVectorsAtDefaultSettings()
    {
        var (_, queries, index, exact) = TenK.Value;
        var got = index.Search(queries, 10);
        double recall = Recall(exact, got);
        Assert.True(recall >= 0.95, $"recall@10 = {recall}");
        // What is returned carries its exact score, best first.
        for (int q = 0; q < got.NumQueries; q++)
            for (int j = 1; j < 10; j++) Assert.True(got.ScoresOf(q)[j - 1] >= got.ScoresOf(q)[j]);
    }

    [Fact]
    public void NarrowBeamIsApproximateAndWiderBeamRecallsMore()
    {
        var (_, queries, index, exact) = TenK.Value;
        using var narrow = index.WithExpansionSearch(1);
        using var wide = index.WithExpansionSearch(256);
        double r1 = Recall(exact, narrow.Search(queries, 10)), r256 = Recall(exact, wide.Search(queries, 10));
        Assert.True(r1 < 0.95, $"efSearch 1 (beam = k) still gave recall {r1}: the test would not see a broken graph walk");
        Assert.True(r256 > r1 && r256 >= 0.99, $"efSearch 256 recall {r256}, efSearch 1 {r1}");
        Assert.Equal(64, index.Options.ExpansionSearch);   // the source index is unchanged
    }

    [Fact]
    public void ExclusionsAreAppliedInsideTheWalkAndRowsStayFull()
    {
        var (items, queries, index, _) = TenK.Value;
        const int d = 32, k = 10, n = 50;
        var q = queries.AsSpan(0, n * d).ToArray();
        // Exclude each query's unfiltered top 50: an over-fetch-then-filter of k would return nothing.
        var top = index.Search(q, 50);
        var ptr = Enumerable.Range(0, n + 1).Select(i => i * 50).ToArray();
        var ids = Enumerable.Range(0, n).SelectMany(i => top.IdsOf(i).ToArray().Order()).ToArray();
        var ex = new Exclusions(ptr, ids);
        var got = index.Search(q, k, ex);
        using var exact = new ExactCpuMipsIndex(items, d);
        var want = exact.Search(q, k, ex);
        for (int i = 0; i < n; i++)
        {
            Assert.All(got.IdsOf(i).ToArray(), id => Assert.True(id >= 0 && ex.Row(i).BinarySearch(id) < 0, $"query {i} returned {id}"));
        }
        // Ranks 51–60 sit behind a dense excluded region, a hard case for the default beam (measured 0.76); a wider
        // beam recovers them, which an over-fetch-then-filter of the same width could not.
        Assert.True(Recall(want, got) >= 0.7, $"filtered recall {Recall(want, got)}");
        using var wide = index.WithExpansionSearch(256);
        double wideRecall = Recall(want, wide.Search(q, k, ex));
        Assert.True(wideRecall >= 0.95, $"filtered recall at efSearch 256: {wideRecall}");
    }

    [Fact]
    public void SameItemsAndOptionsBuildTheSameGraph()
    {
        var items = Gaussian(2000, 16, 5);
        var queries = Gaussian(40, 16, 6);
        var o = new HnswOptions { ExpansionSearch = 8, Connectivity = 4, ExpansionAdd = 16 };
        using var a = new HnswIndex(items, 16, o);
        using var b = new HnswIndex(items, 16, o);
        var ra = a.Search(queries, 10);
        Assert.Equal(ra.Ids, b.Search(queries, 10).Ids);
        // A narrow graph is genuinely approximate here, so equal answers say something about the graph.
        using var exact = new ExactCpuMipsIndex(items, 16);
        Assert.True(Recall(exact.Search(queries, 10), ra) < 1.0);
    }

    [Fact]
    public void SavedGraphLoadsBackAndAStaleOneIsRebuilt()
    {
        var dir = Directory.CreateTempSubdirectory("hnsw-").FullName;
        try
        {
            var path = Path.Combine(dir, HnswIndexFile.DefaultName);
            var items = Gaussian(1500, 12, 7);
            var queries = Gaussian(30, 12, 8);
            var o = new HnswOptions { Connectivity = 4, ExpansionAdd = 16, ExpansionSearch = 8 };
            using var built = HnswIndexFile.OpenOrBuild(path, items, 12, o, out bool first);
            Assert.True(first);
            Assert.True(File.Exists(path) && File.Exists(HnswIndexFile.SidecarOf(path)));
            using var loaded = HnswIndexFile.OpenOrBuild(path, items, 12, o, out bool second);
            Assert.False(second);
            var want = built.Search(queries, 10);
            Assert.Equal(want.Ids, loaded.Search(queries, 10).Ids);
            Assert.Equal(want.Scores, loaded.Search(queries, 10).Scores);
            // efSearch is a search setting: the same graph serves it.
            Assert.NotNull(HnswIndexFile.TryLoad(path, items, 12, o with { ExpansionSearch = 100 }));
            // Other items or another graph option: stale.
            var changed = items.ToArray();
            changed[5] += 1f;
            Assert.Null(HnswIndexFile.TryLoad(path, changed, 12, o));
            Assert.Null(HnswIndexFile.TryLoad(path, items, 12, o with { Connectivity = 8 }));
            using var rebuilt = HnswIndexFile.OpenOrBuild(path, changed, 12, o, out bool third);
            Assert.True(third);
            Assert.NotNull(HnswIndexFile.TryLoad(path, changed, 12, o));
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void ConcurrentSearchesEqualSequentialOnes()
    {
        var items = Gaussian(3000, 16, 9);
        using var index = new HnswIndex(items, 16, new HnswOptions { Threads = 2, ExpansionSearch = 16 });
        const int threads = 8;
        var queries = Enumerable.Range(0, threads).Select(t => Gaussian(20, 16, 100 + t)).ToArray();
        var ex = Enumerable.Range(0, threads).Select(t => MipsTestData.RandomExclusions(20, 3000, 0.01, 200 + t)).ToArray();
        var sequential = Enumerable.Range(0, threads).Select(t => index.Search(queries[t], 10, ex[t])).ToArray();
        var concurrent = new MipsResult[threads];
        using var start = new Barrier(threads);
        var workers = Enumerable.Range(0, threads).Select(t => new Thread(() =>
        {
            start.SignalAndWait();
            concurrent[t] = index.Search(queries[t], 10, ex[t]);
        })).ToArray();
        foreach (var w in workers) w.Start();
        foreach (var w in workers) w.Join();
        for (int t = 0; t < threads; t++) Assert.Equal(sequential[t].Ids, concurrent[t].Ids);
    }

    [Fact]
    public void AllowListThroughIdMapIsExactlyFiltered()
    {
        var (items, queries, index, _) = TenK.Value;
        const int d = 32;
        var q = queries.AsSpan(0, 20 * d).ToArray();
        var allow = Enumerable.Range(0, 10_000).Where(i => i % 7 == 0).ToArray();
        using var mapped = new IdMapIndex(index, Enumerable.Range(0, 10_000).ToArray(), ownsInner: false);
        var got = mapped.Search(q, new MipsSearchRequest { K = 10, Allow = allow });
        using var exact = new IdMapIndex(new ExactCpuMipsIndex(items, d), Enumerable.Range(0, 10_000).ToArray());
        var want = exact.Search(q, new MipsSearchRequest { K = 10, Allow = allow });
        Assert.All(got.Ids, id => Assert.True(id % 7 == 0));
        Assert.Equal(10 * 20, got.Ids.Count(id => id >= 0));
        Assert.True(Recall(want, got) >= 0.9, $"allow-list recall {Recall(want, got)}");
    }

    [Fact]
    public void ChoiceWithFactoryBuildsHnswAndOptionsAreValidated()
    {
        var items = Gaussian(100, 8, 11);
        var choice = new MipsIndexChoice { Factory = new HnswIndexFactory(new HnswOptions { ExpansionSearch = 32 }) };
        using var index = choice.Create(items, 8);
        var hnsw = Assert.IsType<HnswIndex>(index);
        Assert.StartsWith("hnsw (ip, M 16, efC 128, efS 32, 32 candidates", MipsIndexChoice.Describe(hnsw, 10));
        Assert.Equal(40, hnsw.CandidatesFor(40));
        Assert.Equal(100, hnsw.CandidatesFor(200));   // capped at the item count
        Assert.Throws<ArgumentOutOfRangeException>(() => new HnswOptions { Connectivity = 1 }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new HnswOptions { ExpansionSearch = 0 }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new HnswOptions { OverFetch = 0.5 }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new HnswOptions { BuildThreads = 0 }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new HnswIndex(items, 8, new HnswOptions { Threads = -1 }));
    }

    [Fact]
    public void CosineGraphStillReturnsExactInnerProductScores()
    {
        var items = Gaussian(500, 8, 12);
        var queries = Gaussian(10, 8, 13);
        using var index = new HnswIndex(items, 8, new HnswOptions { Metric = HnswMetric.Cosine, OverFetch = 1000 });
        var want = MipsTestData.Reference(items, queries, 8, 5);
        var got = index.Search(queries, 5);
        Assert.Equal(want.Ids, got.Ids);
        Assert.Equal(want.Scores, got.Scores);
    }
}
