using Recsys.Retrieval.Mips;

namespace Recsys.Tests.Retrieval;

/// <summary>
/// What every exact <see cref="IMipsIndex"/> must satisfy, checked against a reference in this class (full sort of
/// all scores by score descending, id ascending). Integer-valued vectors make every dot product exact in float,
/// so ids must match exactly, ties included, whatever the summation order of the implementation.
/// </summary>
public abstract class MipsIndexContract
{
    /// <summary>An index over row-major <paramref name="items"/> [count, dim].</summary>
    protected abstract IMipsIndex Create(float[] items, int dim);

    protected static float[] IntegerMatrix(int rows, int dim, int seed, int range = 3)
    {
        var rng = new Random(seed);
        var m = new float[rows * dim];
        for (int i = 0; i < m.Length; i++) m[i] = rng.Next(-range, range + 1);
        return m;
    }

    /// <summary>Random sorted exclusion lists, some empty, some with ids beyond those a query could otherwise return.</summary>
    protected static Exclusions RandomExclusions(int queries, int count, int seed, int maxPerRow = 20)
    {
        var rng = new Random(seed);
        var ptr = new int[queries + 1];
        var ids = new List<int>();
        for (int q = 0; q < queries; q++)
        {
            var row = Enumerable.Range(0, rng.Next(0, maxPerRow + 1)).Select(_ => rng.Next(count)).Distinct().Order();
            ids.AddRange(row);
            ptr[q + 1] = ids.Count;
        }
        return new Exclusions(ptr, ids.ToArray());
    }

    /// <summary>The reference: every non-excluded item scored exactly (double), fully sorted, cut to k and padded.</summary>
    protected static (int[] Ids, float[] Scores) Reference(float[] items, float[] queries, int dim, int k, Exclusions? ex)
    {
        int count = items.Length / dim, n = queries.Length / dim;
        var ids = new int[n * k];
        var scores = new float[n * k];
        for (int q = 0; q < n; q++)
        {
            var excluded = ex is null ? new HashSet<int>() : ex.Row(q).ToArray().ToHashSet();
            var all = new List<(double S, int Id)>();
            for (int i = 0; i < count; i++)
            {
                if (excluded.Contains(i)) continue;
                double s = 0;
                for (int t = 0; t < dim; t++) s += (double)queries[q * dim + t] * items[i * dim + t];
                all.Add((s, i));
            }
            all.Sort((a, b) => a.S != b.S ? b.S.CompareTo(a.S) : a.Id.CompareTo(b.Id));
            for (int r = 0; r < k; r++)
            {
                ids[q * k + r] = r < all.Count ? all[r].Id : -1;
                scores[q * k + r] = r < all.Count ? (float)all[r].S : float.NegativeInfinity;
            }
        }
        return (ids, scores);
    }

    [Theory]
    [InlineData(300, 16, 40, 10)]
    [InlineData(2000, 24, 70, 25)]   // large enough to take a multi-threaded path
    [InlineData(17, 5, 9, 3)]
    public void IdsAndScoresMatchFullSortReference(int count, int dim, int queries, int k)
    {
        var items = IntegerMatrix(count, dim, seed: count);
        var q = IntegerMatrix(queries, dim, seed: count + 1);
        var ex = RandomExclusions(queries, count, seed: count + 2);
        using var index = Create(items, dim);
        Assert.Equal(count, index.Count);
        Assert.Equal(dim, index.Dim);
        var got = index.Search(q, k, ex);
        var (ids, scores) = Reference(items, q, dim, k, ex);
        Assert.Equal(queries, got.NumQueries);
        Assert.Equal(k, got.K);
        Assert.Equal(ids, got.Ids);
        Assert.Equal(scores, got.Scores);
    }

    [Fact]
    public void TiesGoToTheLowerId()
    {
        // Items 0..9 all equal: any top-k is ids ascending; item 10 beats them all.
        var items = new float[11 * 2];
        for (int i = 0; i < 10; i++) { items[i * 2] = 1; items[i * 2 + 1] = 1; }
        items[20] = 5; items[21] = 5;
        using var index = Create(items, 2);
        var r = index.Search([1f, 1f], 4);
        Assert.Equal(new[] { 10, 0, 1, 2 }, r.IdsOf(0).ToArray());
        Assert.Equal(new[] { 10f, 2f, 2f, 2f }, r.ScoresOf(0).ToArray());
    }

    [Fact]
    public void ExcludedItemsAreNeverReturned()
    {
        var items = IntegerMatrix(50, 4, seed: 5);
        var q = IntegerMatrix(3, 4, seed: 6);
        using var index = Create(items, 4);
        var best = index.Search(q, 5);
        // Exclude each query's current top 5: none of them may come back.
        var ptr = new[] { 0, 5, 10, 15 };
        var exIds = Enumerable.Range(0, 3).SelectMany(i => best.IdsOf(i).ToArray().Order()).ToArray();
        var r = index.Search(q, 5, new Exclusions(ptr, exIds));
        for (int i = 0; i < 3; i++)
            Assert.Empty(r.IdsOf(i).ToArray().Intersect(best.IdsOf(i).ToArray()));
    }

    [Fact]
    public void KBeyondCandidatesPadsWithMinusOneAndNegativeInfinity()
    {
        var items = new float[] { 1, 2, 3, 4, 5 };   // 5 items, dim 1
        using var index = Create(items, 1);
        var r = index.Search([1f], 8, new Exclusions([0, 2], [1, 3]));
        Assert.Equal(new[] { 4, 2, 0, -1, -1, -1, -1, -1 }, r.IdsOf(0).ToArray());
        Assert.Equal(new[] { 5f, 3f, 1f }, r.ScoresOf(0)[..3].ToArray());
        Assert.All(r.ScoresOf(0)[3..].ToArray(), s => Assert.Equal(float.NegativeInfinity, s));
    }

    [Fact]
    public void BatchEqualsSingleQueries()
    {
        int count = 120, dim = 8, n = 30, k = 7;
        var items = IntegerMatrix(count, dim, seed: 21);
        var q = IntegerMatrix(n, dim, seed: 22);
        var ex = RandomExclusions(n, count, seed: 23);
        using var index = Create(items, dim);
        var batch = index.Search(q, k, ex);
        for (int i = 0; i < n; i++)
        {
            var one = index.Search(q.AsSpan(i * dim, dim), k, ex.Slice(i, 1));
            Assert.Equal(batch.IdsOf(i).ToArray(), one.IdsOf(0).ToArray());
            Assert.Equal(batch.ScoresOf(i).ToArray(), one.ScoresOf(0).ToArray());
        }
    }

    [Fact]
    public void ContinuousVectorsAgreeWithReferenceScores()
    {
        var rng = new Random(9);
        int count = 400, dim = 32, n = 20, k = 15;
        var items = Enumerable.Range(0, count * dim).Select(_ => (float)rng.NextDouble() - 0.5f).ToArray();
        var q = Enumerable.Range(0, n * dim).Select(_ => (float)rng.NextDouble() - 0.5f).ToArray();
        using var index = Create(items, dim);
        var got = index.Search(q, k);
        var (_, scores) = Reference(items, q, dim, k, null);
        for (int i = 0; i < scores.Length; i++) Assert.Equal(scores[i], got.Scores[i], 1e-4f); // a tolerance, not 4-decimal rounding: float sums differ from the double reference in the last bits
    }

    [Fact]
    public void EmptyBatchAndBadArguments()
    {
        using var index = Create(IntegerMatrix(10, 4, seed: 1), 4);
        Assert.Equal(0, index.Search(ReadOnlySpan<float>.Empty, 3).NumQueries);
        Assert.ThrowsAny<ArgumentException>(() => index.Search(new float[5], 3));
        Assert.ThrowsAny<ArgumentException>(() => index.Search(new float[4], 0));
        Assert.ThrowsAny<ArgumentException>(() => index.Search(new float[8], 3, new Exclusions([0, 0], [])));
    }
}
