using Recsys.Data;

namespace Recsys.Tests.Data;

public class UserHistoriesTests
{
    [Fact]
    public void TimestampsOrderEachUserStablyWithTiesInFileOrder()
    {
        // File rows: (user, item, t). User 0: items 5@30, 6@10, 7@30, 8@10 → by time 6,8 (t=10, file order), 5,7 (t=30).
        var x = new Interactions(
            users: [0, 1, 0, 0, 2, 0, 1],
            items: [5, 1, 6, 7, 3, 8, 2],
            timestamps: [30, 7, 10, 30, 1, 10, 7]);
        var h = UserHistories.From(x, numUsers: 4, numItems: 9);
        Assert.Equal([0, 4, 6, 7, 7], h.Ptr);
        Assert.Equal([6, 8, 5, 7], h.ItemsOf(0).ToArray());
        Assert.Equal([10L, 10, 30, 30], h.TimestampsOf(0).ToArray());
        Assert.Equal([1, 2], h.ItemsOf(1).ToArray());   // equal timestamps: file order
        Assert.Equal([3], h.ItemsOf(2).ToArray());
        Assert.Equal(0, h.Length(3));
        Assert.True(h.ItemsOf(3).IsEmpty);
        Assert.Equal((4, 9), (h.NumUsers, h.NumItems));
    }

    [Fact]
    public void WithoutTimestampsFileOrderIsKept()
    {
        var x = new Interactions(users: [1, 0, 1, 0, 1], items: [9, 4, 2, 8, 0]);
        var h = UserHistories.From(x, 2, 10);
        Assert.Null(h.Timestamps);
        Assert.Equal([4, 8], h.ItemsOf(0).ToArray());
        Assert.Equal([9, 2, 0], h.ItemsOf(1).ToArray());
        Assert.True(h.TimestampsOf(1).IsEmpty);
        Assert.Equal(3, h.Length(1));
    }

    [Fact]
    public void DatasetHistoriesUseTheTrainingSplit()
    {
        var d = new Dataset
        {
            Name = "h", NumUsers = 2, NumItems = 3,
            Train = new Interactions([1, 1, 0], [2, 0, 1]),
            Test = new Interactions([0], [0]),
        };
        var h = d.Histories();
        Assert.Equal([1], h.ItemsOf(0).ToArray());
        Assert.Equal([2, 0], h.ItemsOf(1).ToArray());
    }

    [Theory]
    [InlineData(2, 0)]
    [InlineData(0, 5)]
    [InlineData(-1, 0)]
    public void IdsOutsideTheCountsAreRejected(int user, int item)
    {
        var x = new Interactions([user], [item]);
        Assert.Throws<ArgumentOutOfRangeException>(() => UserHistories.From(x, 2, 5));
    }
}
