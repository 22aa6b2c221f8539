using Recsys.Retrieval.Mips;

namespace Recsys.Tests.Retrieval;

public class TopKTests
{
    private static int[] Expected(float[] s, int[] ids, int k)
    {
        var order = Enumerable.Range(0, s.Length).OrderByDescending(i => s[i]).ThenBy(i => ids[i]).Take(k).Select(i => ids[i]).ToList();
        while (order.Count < k) order.Add(-1);
        return order.ToArray();
    }

    [Fact]
    public void PushThenDrainKeepsTheBestKWithTiesToTheLowerId()
    {
        var rng = new Random(3);
        for (int trial = 0; trial < 200; trial++)
        {
            int len = rng.Next(0, 200), k = rng.Next(1, 30);
            var s = Enumerable.Range(0, len).Select(_ => (float)rng.Next(0, 5)).ToArray();
            var ids = Enumerable.Range(0, len).OrderBy(_ => rng.Next()).ToArray();   // arbitrary arrival order
            var hi = new int[k]; var hs = new float[k]; int size = 0;
            for (int i = 0; i < len; i++) TopK.Push(hi, hs, ref size, ids[i], s[i]);
            var oi = new int[k]; var os = new float[k];
            Assert.Equal(Math.Min(k, len), TopK.Drain(hi, hs, size, oi, os));
            Assert.Equal(Expected(s, ids, k), oi);
            Assert.All(os[size..], x => Assert.Equal(float.NegativeInfinity, x));
        }
    }

    [Fact]
    public void MergeOfSplitListsEqualsTheWholeList()
    {
        var rng = new Random(5);
        for (int trial = 0; trial < 100; trial++)
        {
            int len = rng.Next(1, 300), k = rng.Next(1, 25), parts = rng.Next(1, 6);
            var s = Enumerable.Range(0, len).Select(_ => (float)rng.Next(0, 4)).ToArray();
            var cuts = Enumerable.Range(0, parts - 1).Select(_ => rng.Next(len + 1)).Append(0).Append(len).Order().ToArray();
            var results = new List<MipsResult>();
            var offsets = new int[cuts.Length - 1];
            for (int p = 0; p + 1 < cuts.Length; p++)
            {
                var ids = new int[k]; var top = new float[k];
                TopK.Select(s.AsSpan(cuts[p], cuts[p + 1] - cuts[p]), [], ids, top);
                // Select returns −∞ entries; drop none here since the scores are finite.
                results.Add(new MipsResult(1, k, ids, top));
                offsets[p] = cuts[p];
            }
            var merged = TopKMerge.Merge(results, k, offsets);
            var whole = new int[k]; var wholeS = new float[k];
            TopK.Select(s, [], whole, wholeS);
            Assert.Equal(whole, merged.Ids);
            Assert.Equal(wholeS, merged.Scores);
        }
    }

    [Fact]
    public void MergeRowReadsStridedSources()
    {
        // Two sources of width 3 at stride 5: {7:3, 2:1, -1} and {4:3, 9:2, 1:1}.
        int[] ids = [7, 2, -1, 0, 0, 4, 9, 1, 0, 0];
        float[] s = [3, 1, float.NegativeInfinity, 0, 0, 3, 2, 1, 0, 0];
        var oi = new int[6]; var os = new float[6];
        Assert.Equal(5, TopKMerge.MergeRow(ids, s, 2, 5, 3, oi, os));
        Assert.Equal(new[] { 4, 7, 9, 1, 2, -1 }, oi);
        Assert.Equal(new[] { 3f, 3f, 2f, 1f, 1f, float.NegativeInfinity }, os);
    }
}
