using Recsys.Retrieval.Mips;

namespace Recsys.Tests.Retrieval;

public class BruteForceMipsIndexTests : MipsIndexContract
{
    protected override IMipsIndex Create(float[] items, int dim) => new BruteForceMipsIndex(items, dim);

    [Fact]
    public void SelectTopKRanksNaNLastAndSkipsOutOfRangeExclusions()
    {
        var ids = new int[4];
        var top = new float[4];
        int n = TopK.Select([float.NaN, 2f, 7f, 2f, 1f], [-3, 2, 2, 99], ids, top);
        Assert.Equal(4, n);
        Assert.Equal(new[] { 1, 3, 4, 0 }, ids);
        Assert.Equal(new[] { 2f, 2f, 1f, float.NegativeInfinity }, top);
    }

    [Fact]
    public void SelectTopKMatchesSortOnRandomRowsWithManyTies()
    {
        var rng = new Random(4);
        for (int trial = 0; trial < 200; trial++)
        {
            int len = rng.Next(1, 300), k = rng.Next(1, 40);
            var s = Enumerable.Range(0, len).Select(_ => (float)rng.Next(0, 6)).ToArray();
            var ex = Enumerable.Range(0, rng.Next(0, 20)).Select(_ => rng.Next(len)).Distinct().Order().ToArray();
            var ids = new int[k]; var top = new float[k];
            TopK.Select(s, ex, ids, top);
            var expected = Enumerable.Range(0, len).Where(i => !ex.Contains(i))
                .OrderByDescending(i => s[i]).ThenBy(i => i).Take(k).ToList();
            while (expected.Count < k) expected.Add(-1);
            Assert.Equal(expected.ToArray(), ids);
        }
    }

    [Fact]
    public void RejectsItemsThatAreNotAMultipleOfDim() =>
        Assert.Throws<ArgumentException>(() => new BruteForceMipsIndex(new float[7], 2));
}
