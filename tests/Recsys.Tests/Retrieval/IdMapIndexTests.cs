using Recsys.Retrieval.Mips;

namespace Recsys.Tests.Retrieval;

/// <summary>
/// The wrapped index holds the rows in a shuffled order and maps each back to its original row number, so the map is
/// not increasing and the contract's tie rule (ties → lower id) must hold in external ids.
/// </summary>
public class IdMapIndexContractTests : MipsIndexContract
{
    protected override IMipsIndex Create(float[] items, int dim) => IdMapIndexTests.Shuffled(items, dim, seed: items.Length);
}

/// <summary>An increasing map (ids 10·r + 3) must keep the wrapped index's order; checked through a shard set of such maps.</summary>
public class IdMapIndexIncreasingTests
{
    [Fact]
    public void ReturnsExternalIdsInTheWrappedOrder()
    {
        int count = 200, dim = 6, n = 10, k = 12;
        var items = MipsTestData.Integers(count, dim, seed: 51);
        var q = MipsTestData.Integers(n, dim, seed: 52);
        var external = Enumerable.Range(0, count).Select(r => 10 * r + 3).ToArray();
        using var inner = new ExactCpuMipsIndex(items, dim);
        using var map = new IdMapIndex(inner, external, ownsInner: false);
        var plain = inner.Search(q, k);
        var got = map.Search(q, k);
        Assert.Equal(plain.Ids.Select(i => i < 0 ? -1 : 10 * i + 3).ToArray(), got.Ids);
        Assert.Equal(plain.Scores, got.Scores);
        Assert.True(map.TryGetRow(23, out int row));
        Assert.Equal(2, row);
    }
}

public class IdMapIndexTests
{
    /// <summary>An id map over a shuffled copy of <paramref name="items"/>; external id = original row.</summary>
    public static IdMapIndex Shuffled(float[] items, int dim, int seed)
    {
        int count = items.Length / dim;
        var rng = new Random(seed);
        var perm = Enumerable.Range(0, count).OrderBy(_ => rng.Next()).ToArray();
        var x = perm.SelectMany(r => items.AsSpan(r * dim, dim).ToArray()).ToArray();
        return new IdMapIndex(new ExactCpuMipsIndex(x, dim), perm);
    }

    /// <summary>Reference restricted to an allow list: the full-sort reference over all items with every other id excluded.</summary>
    private static MipsResult AllowedReference(float[] items, float[] q, int dim, int k, Exclusions? deny, int[] allow)
    {
        int count = items.Length / dim, n = q.Length / dim;
        var allowSet = allow.ToHashSet();
        var ptr = new int[n + 1];
        var ids = new List<int>();
        for (int i = 0; i < n; i++)
        {
            var row = Enumerable.Range(0, count).Where(id => !allowSet.Contains(id) || (deny is not null && deny.Row(i).Contains(id)));
            ids.AddRange(row);
            ptr[i + 1] = ids.Count;
        }
        return MipsTestData.Reference(items, q, dim, k, new Exclusions(ptr, ids.ToArray()));
    }

    [Theory]
    [InlineData(5, 2.0)]     // a small allow list: over-fetch is rarely enough, the pushed-down pass answers
    [InlineData(400, 2.0)]   // a large one: the over-fetch alone answers most queries
    [InlineData(60, 1.0)]    // no over-fetch at all
    public void AllowListIsExact(int allowed, double overFetch)
    {
        int count = 600, dim = 6, n = 40, k = 10;
        var items = MipsTestData.Integers(count, dim, seed: 61, range: 1);
        var q = MipsTestData.Integers(n, dim, seed: 62, range: 1);
        var deny = MipsTestData.RandomExclusions(n, count, 0.1, seed: 63);
        var allow = Enumerable.Range(0, count).OrderBy(i => (i * 7919) % 1009).Take(allowed).Append(99_999).ToArray();  // plus an unknown id
        using var index = Shuffled(items, dim, seed: 64);
        var got = index.Search(q, new MipsSearchRequest { K = k, Exclude = deny, Allow = allow, AllowOverFetch = overFetch });
        var expected = AllowedReference(items, q, dim, k, deny, allow);
        Assert.Equal(expected.Ids, got.Ids);
        Assert.Equal(expected.Scores, got.Scores);
        Assert.All(got.Ids, id => Assert.True(id < 0 || allow.Contains(id)));
    }

    [Fact]
    public void EmptyAllowListReturnsOnlyPadding()
    {
        using var index = Shuffled(MipsTestData.Integers(30, 4, seed: 1), 4, seed: 2);
        var r = index.Search(MipsTestData.Integers(2, 4, seed: 3), new MipsSearchRequest { K = 5, Allow = [] });
        Assert.All(r.Ids, id => Assert.Equal(-1, id));
        Assert.All(r.Scores, s => Assert.Equal(float.NegativeInfinity, s));
    }

    [Fact]
    public void ExternalIdsMustBeDistinctNonNegativeAndOnePerRow()
    {
        using var inner = new BruteForceMipsIndex(new float[6], 2);
        Assert.Throws<ArgumentException>(() => new IdMapIndex(inner, [1, 2], ownsInner: false));
        Assert.Throws<ArgumentException>(() => new IdMapIndex(inner, [1, 2, 1], ownsInner: false));
        Assert.Throws<ArgumentOutOfRangeException>(() => new IdMapIndex(inner, [1, -1, 2], ownsInner: false));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MipsSearchRequest { K = 0 }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new MipsSearchRequest { AllowOverFetch = 0.5 }.Validate());
    }
}
