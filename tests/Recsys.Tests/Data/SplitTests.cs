using Recsys.Data;
using Recsys.Data.Splits;

namespace Recsys.Tests.Data;

public class SplitTests
{
    /// <summary>User u has 5·(u+1) interactions with items 0..5(u+1)-1, timestamps descending in file order.</summary>
    private static Interactions Toy(int users, bool timestamps = true)
    {
        var u = new List<int>(); var i = new List<int>(); var t = new List<long>();
        for (int user = 0; user < users; user++)
            for (int k = 0; k < 5 * (user + 1); k++) { u.Add(user); i.Add(k); t.Add(1000 - k * 10 + user); }
        return new Interactions(u.ToArray(), i.ToArray(), timestamps ? t.ToArray() : null);
    }

    private static int CountOf(Interactions x, int user) => x.Users.Count(v => v == user);

    [Fact]
    public void RandomSplitTakesRoundedShareOfEveryUserAndLosesNothing()
    {
        var all = Toy(4);
        var s = SplitResult.Of(all, 4, new RandomSplit(new RandomSplitOptions { TestRatio = 0.2, ValidRatio = 0.1, Seed = 1 }));
        for (int u = 0; u < 4; u++)
        {
            int n = 5 * (u + 1);
            Assert.Equal((int)Math.Floor(n * 0.2 + 0.5), CountOf(s.Test, u));
            Assert.Equal((int)Math.Floor(n * 0.1 + 0.5), CountOf(s.Valid!, u));
        }
        var pooled = DataFiles.Pairs(Interactions.Concat(s.Train, s.Valid!, s.Test));
        Assert.Equal(DataFiles.Pairs(all), pooled);
        Assert.NotNull(s.Test.Timestamps);
    }

    [Fact]
    public void RandomSplitIsDeterministicForASeedAndVariesAcrossSeeds()
    {
        var all = Toy(6);
        SplitPart[] Run(int seed) => new RandomSplit(new RandomSplitOptions { Seed = seed }).Assign(all, 6);
        Assert.Equal(Run(5), Run(5));
        Assert.NotEqual(Run(5), Run(6));
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(2, 0)]
    [InlineData(3, 1)]
    [InlineData(7, 1)]
    [InlineData(8, 2)]
    [InlineData(13, 3)]
    public void RandomSplitRoundsHalfUpLikeKgatScripts(int n, int expectedTest)
    {
        Assert.Equal(expectedTest, UserRows.Portion(n, 0.2));
        Assert.Equal((n + 2) / 5, UserRows.Portion(n, 0.2));
    }

    [Fact]
    public void RandomSplitKeepsOneTrainItemPerUser()
    {
        var all = new Interactions([0, 0], [0, 1]);
        var s = SplitResult.Of(all, 1, new RandomSplit(new RandomSplitOptions { TestRatio = 0.9 }));
        Assert.Equal(1, s.Train.Count);
        Assert.Equal(1, s.Test.Count);
    }

    [Theory]
    [InlineData(-0.1, 0)]
    [InlineData(1.0, 0)]
    [InlineData(0.5, 0.5)]
    public void RandomSplitOptionsRejectBadRatios(double test, double valid)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new RandomSplitOptions { TestRatio = test, ValidRatio = valid }.Validate());
        Assert.NotNull(e.ParamName);
    }

    [Fact]
    public void LeaveOneOutPicksLatestByTimestampNotFileOrder()
    {
        // Toy timestamps decrease along the file, so the latest is each user's FIRST row (item 0), then item 1.
        var all = Toy(3);
        var s = SplitResult.Of(all, 3, new LeaveOneOutSplit(new LeaveOneOutOptions { HoldOutValid = true }));
        Assert.Equal(new[] { (0, 0), (1, 0), (2, 0) }, DataFiles.Pairs(s.Test));
        Assert.Equal(new[] { (0, 1), (1, 1), (2, 1) }, DataFiles.Pairs(s.Valid!));
        Assert.Equal(all.Count - 6, s.Train.Count);
    }

    [Fact]
    public void LeaveOneOutWithoutTimestampsUsesFileOrder()
    {
        var all = Toy(2, timestamps: false);
        var s = SplitResult.Of(all, 2, new LeaveOneOutSplit(new LeaveOneOutOptions()));
        Assert.Equal(new[] { (0, 4), (1, 9) }, DataFiles.Pairs(s.Test));
        Assert.Null(s.Valid);
    }

    [Fact]
    public void LeaveOneOutLeavesShortHistoriesInTrainAndBreaksTiesByRowOrder()
    {
        var all = new Interactions([0, 1, 1, 2, 2, 2], [0, 0, 1, 0, 1, 2], [5, 1, 1, 7, 7, 7]);
        var s = SplitResult.Of(all, 3, new LeaveOneOutSplit(new LeaveOneOutOptions { HoldOutValid = true }));
        Assert.Equal(new[] { (0, 0), (1, 0), (2, 0) }, DataFiles.Pairs(s.Train));
        Assert.Equal(new[] { (1, 1), (2, 2) }, DataFiles.Pairs(s.Test));
        Assert.Equal(new[] { (2, 1) }, DataFiles.Pairs(s.Valid!));
    }

    [Fact]
    public void TemporalCutTimeSendsLaterInteractionsToTest()
    {
        var all = new Interactions([0, 0, 1, 1, 2], [0, 1, 0, 2, 3], [10, 20, 30, 40, 50]);
        var s = SplitResult.Of(all, 3, new TemporalSplit(new TemporalSplitOptions { CutTime = 30 }));
        Assert.Equal(new long[] { 10, 20, 30 }, s.Train.Timestamps);
        Assert.Equal(new long[] { 40, 50 }, s.Test.Timestamps);
    }

    [Fact]
    public void TemporalQuantileCutAndValidationCarveOut()
    {
        var t = Enumerable.Range(1, 10).Select(v => (long)v).ToArray();
        var all = new Interactions(new int[10], Enumerable.Range(0, 10).ToArray(), t);
        var method = new TemporalSplit(new TemporalSplitOptions { CutQuantile = 0.8, ValidRatio = 0.25 });
        var s = SplitResult.Of(all, 1, method);
        Assert.Equal(8, method.LastCut);
        Assert.Equal(new long[] { 9, 10 }, s.Test.Timestamps);
        Assert.Equal(new long[] { 7, 8 }, s.Valid!.Timestamps);   // latest 25 % of the 8 training interactions
        Assert.Equal(new long[] { 1, 2, 3, 4, 5, 6 }, s.Train.Timestamps);
    }

    [Fact]
    public void TemporalNeedsTimestampsAndExactlyOneCut()
    {
        var all = new Interactions([0], [0]);
        Assert.Throws<ArgumentException>(() => new TemporalSplit(new TemporalSplitOptions { CutQuantile = 0.5 }).Assign(all, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TemporalSplitOptions { CutTime = 1, CutQuantile = 0.5 }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new TemporalSplitOptions().Validate());
    }

    [Fact]
    public void DatasetSplitPoolsAllPartsAndKeepsTheRest()
    {
        var d = new Dataset
        {
            Name = "toy", NumUsers = 2, NumItems = 4,
            Train = new Interactions([0, 1], [0, 1], [1, 2]),
            Valid = new Interactions([0], [2], [3]),
            Test = new Interactions([1, 0], [3, 1], [4, 5]),
            Knowledge = new KnowledgeTriples([0], [0], [4], 5, ["r"]),
            ItemRawIds = ["a", "b", "c", "d"],
            Provenance = new Dictionary<string, string> { ["importer"] = "x" },
        };
        var s = DatasetSplit.Apply(d, new LeaveOneOutSplit(new LeaveOneOutOptions()));
        Assert.Equal(new[] { (0, 1), (1, 3) }, DataFiles.Pairs(s.Test));   // latest timestamps: 5 and 4
        Assert.Equal(3, s.Train.Count);
        Assert.Null(s.Valid);
        Assert.Same(d.Knowledge, s.Knowledge);
        Assert.Equal(d.ItemRawIds, s.ItemRawIds);
        Assert.Equal("leave-one-out", s.Provenance["split"]);
        Assert.Equal("x", s.Provenance["importer"]);
    }

    [Fact]
    public void CarveValidationKeepsTestFixedAndTakesValidFromTrainOnly()
    {
        var train = Toy(4, timestamps: false);
        var test = new Interactions([0, 1, 2, 3], [99, 98, 97, 96]);
        var d = new Dataset { Name = "t", NumUsers = 4, NumItems = 100, Train = train, Test = test };
        var carved = DatasetSplit.CarveValidation(d, new RandomSplit(new RandomSplitOptions { TestRatio = 0.2, ValidRatio = 0, Seed = 3 }));
        Assert.Same(test, carved.Test);
        Assert.NotNull(carved.Valid);
        Assert.Equal(train.Count, carved.Train.Count + carved.Valid!.Count);
        Assert.Equal(10, carved.Valid.Count);                       // 20 % of 5, 10, 15, 20
        var pairs = new HashSet<(int, int)>(Enumerable.Range(0, train.Count).Select(k => (train.Users[k], train.Items[k])));
        for (int k = 0; k < carved.Valid.Count; k++) Assert.Contains((carved.Valid.Users[k], carved.Valid.Items[k]), pairs);
        Assert.Equal("random from train", carved.Provenance["valid"]);
    }
}

