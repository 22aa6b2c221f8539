using System.Text.Json.Nodes;
using Recsys.Data.SemanticIds;
using Recsys.Models;
using Recsys.Tests.Infrastructure;

namespace Recsys.Tests.Models.Tiger;

/// <summary>TIGER's cold-start slots: cold items sharing a generated item's code prefix, placed by hand-checked rules.</summary>
public class ColdItemSlotsTests
{
    // Two levels + disambiguation. Prefixes: (0,0): 0, 1, 5; (0,1): 2, 7; (1,0): 3; (1,1): 4, 6. Cold: 5, 6, 7.
    private static readonly SemanticIdCodes Codes = new(8, [2, 2, 3],
        [0, 0, 0, 0, 0, 1, 0, 1, 0, 1, 0, 0, 1, 1, 0, 0, 0, 2, 1, 1, 1, 0, 1, 1], "test");
    private static readonly bool[] Cold = [false, false, false, false, false, true, true, true];

    private sealed class Fixed(int[] ids, float[] scores) : IItemGenerator
    {
        public int Beam => 4;
        public (int[] Ids, float[] Scores) Generate(IReadOnlyList<int> users, IReadOnlyList<int[]> histories, int k, IReadOnlyList<int[]>? exclude) =>
            ((int[])ids.Clone(), (float[])scores.Clone());
    }

    private static (int[] Ids, float[] Scores) Run(int[] generated, double share, int[]? exclude = null)
    {
        var scores = generated.Select((id, r) => id < 0 ? float.NegativeInfinity : -1f - r).ToArray();
        var slots = new ColdItemSlots(new Fixed(generated, scores), Codes, Cold, share);
        return slots.Generate([0], [[]], generated.Length, exclude is null ? null : [exclude]);
    }

    [Fact]
    public void ColdItemsFollowTheGeneratedItemTheyMatchUpToTheQuota()
    {
        var (ids, scores) = Run([2, 0, 3, 4], 0.5);   // quota 2: 7 after 2, 5 after 0; 3 and 4 drop off
        Assert.Equal([2, 7, 0, 5], ids);
        Assert.Equal([-1f, -1f, -2f, -2f], scores);
        Assert.Equal([2, 7, 0, 3], Run([2, 0, 3, 4], 0.25).Ids);   // quota 1
        Assert.Equal([2, 0, 3, 4], Run([2, 0, 3, 4], 0.2).Ids);    // ⌊0.8⌋ = 0: the list as generated
        Assert.Equal([2, 0, 5, 3], Run([2, 0, 3, 4], 0.5, exclude: [7]).Ids);   // an excluded cold item is skipped
    }

    [Fact]
    public void GeneratedColdItemsAreNotRepeatedAndShortListsStayPadded()
    {
        Assert.Equal([5, 0, 2, 7], Run([5, 0, 2, 3], 1).Ids);      // 5 was generated: listed once; 0 then finds nothing new
        var (ids, scores) = Run([4, -1, -1, -1], 1);
        Assert.Equal([4, 6, -1, -1], ids);
        Assert.Equal(float.NegativeInfinity, scores[2]);
        Assert.Equal([3, -1, -1, -1], Run([3, -1, -1, -1], 1).Ids); // (1,0) has no cold item
    }

    [Fact]
    public void BadArgumentsAreRefused()
    {
        var inner = new Fixed([0], [0]);
        Assert.Throws<ArgumentException>(() => new ColdItemSlots(inner, Codes, new bool[7], 0.5));
        Assert.Equal("share", Assert.Throws<ArgumentOutOfRangeException>(() => new ColdItemSlots(inner, Codes, Cold, 1.5)).ParamName);
        Assert.Equal(3, new ColdItemSlots(inner, Codes, Cold, 0.1).ColdItems);
    }

    [Fact]
    public void EvalAndRecommendTakeColdSlotsForAGenerativeRunOnly()
    {
        var dir = TestPaths.NewTempDir();
        // Codes(40) has 6 prefixes: every cold item shares one with warm items.
        var (data, run) = TigerTestData.TrainedRun(dir, coldItems: 0.2);

        double Share(params string[] extra)
        {
            var e = CliHarness.Run(["eval", "--data", data, "--run", run, "--k", "10", "--json", .. extra]);
            Assert.True(e.Code == 0, e.Err);
            return JsonNode.Parse(e.Out)!["cold_share@10"]!.GetValue<double>();
        }
        double plain = Share(), half = Share("--cold-slots", "0.5");
        Assert.InRange(half, 0.1, 0.5);          // generated items always have cold siblings here: some slots go to them, never more than half
        Assert.True(half > plain, $"{half} vs {plain}");

        var rec = CliHarness.Run("recommend", "--data", data, "--run", run, "--user", "3", "--k", "10", "--cold-slots", "0.3", "--json");
        Assert.True(rec.Code == 0, rec.Err);

        var bad = CliHarness.Run("eval", "--data", data, "--run", run, "--cold-slots", "1.5");
        Assert.NotEqual(0, bad.Code);
        Assert.Contains("--cold-slots", bad.Err);
        var mf = Path.Combine(dir, "mf");
        Assert.Equal(0, CliHarness.Run("train", "--data", data, "--model", "mf", "--dim", "4", "--epochs", "1", "--eval-every", "0", "--out", mf, "--json").Code);
        var notGenerative = CliHarness.Run("eval", "--data", data, "--run", mf, "--cold-slots", "0.2");
        Assert.NotEqual(0, notGenerative.Code);
        Assert.Contains("--cold-slots", notGenerative.Err);
    }
}
