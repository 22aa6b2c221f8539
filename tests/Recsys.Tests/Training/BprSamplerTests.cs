using Recsys.Training;

namespace Recsys.Tests.Training;

public class BprSamplerTests
{
    [Fact]
    public void EpochVisitsEveryPairOnceWithNegativesOutsideThePositives()
    {
        var (train, _) = TinyData.Communities();
        var s = new BprSampler(train, negatives: 3);
        var rng = new Xoshiro256(1);
        var e = s.SampleEpoch(ref rng);
        Assert.Equal(train.NonZeros, e.Count);
        Assert.Equal(3 * e.Count, e.Negatives.Length);
        var pairs = new HashSet<(int, int)>();
        for (int i = 0; i < e.Count; i++)
        {
            Assert.True(train.Contains(e.Users[i], e.Positives[i]));
            Assert.True(pairs.Add((e.Users[i], e.Positives[i])));
            for (int j = 0; j < 3; j++) Assert.False(train.Contains(e.Users[i], e.Negatives[i * 3 + j]));
        }
        // Shuffled, not CSR order.
        Assert.NotEqual(Enumerable.Range(0, 8).Select(_ => 0), e.Users.Take(8));
    }

    [Fact]
    public void SameStateGivesSameEpoch()
    {
        var (train, _) = TinyData.Communities();
        var s = new BprSampler(train, 1);
        var r1 = new Xoshiro256(5);
        s.SampleEpoch(ref r1);
        var saved = r1.GetState();
        var a = s.SampleEpoch(ref r1);
        var r2 = Xoshiro256.FromState(saved);
        var b = s.SampleEpoch(ref r2);
        Assert.Equal(a.Users, b.Users);
        Assert.Equal(a.Negatives, b.Negatives);
        Assert.Equal(r1.GetState(), r2.GetState());
    }

    [Fact]
    public void NegativesAreRoughlyUniform()
    {
        // A single user who has item 0: negatives must be uniform over items 1..4.
        var m = Recsys.Data.InteractionMatrix.From([0], [0], 1, 5);
        var s = new BprSampler(m, 4000);
        var rng = new Xoshiro256(9);
        var e = s.SampleEpoch(ref rng);
        var counts = new int[5];
        foreach (var n in e.Negatives) counts[n]++;
        Assert.Equal(0, counts[0]);
        for (int i = 1; i < 5; i++) Assert.InRange(counts[i], 900, 1100);
    }

    [Fact]
    public void TrainedItemsPoolNeverDrawsItemsWithoutTrainingInteractions()
    {
        // Users 0 and 1; items 0..5, only 0, 1 and 2 occur in training. User 0 has {0}: negatives uniform over {1, 2}.
        var m = Recsys.Data.InteractionMatrix.From([0, 1, 1], [0, 1, 2], 2, 6);
        var s = new BprSampler(m, 3000, NegativePool.TrainedItems);
        var rng = new Xoshiro256(3);
        var e = s.SampleEpoch(ref rng);
        var counts = new int[6];
        for (int i = 0; i < e.Count; i++)
            if (e.Users[i] == 0) foreach (var n in e.Negatives.AsSpan(i * 3000, 3000)) counts[n]++;
        Assert.Equal([0, 1500, 1500, 0, 0, 0], counts.Select(c => c == 0 ? 0 : 1500).ToArray());
        Assert.InRange(counts[1], 1350, 1650);
        Assert.All(e.Negatives, n => Assert.InRange(n, 0, 2));
    }

    [Fact]
    public void XoshiroStateRoundTripsAndRejectsZero()
    {
        var r = new Xoshiro256(42);
        r.NextUInt64();
        var copy = Xoshiro256.FromState(r.GetState());
        Assert.Equal(r.NextUInt64(), copy.NextUInt64());
        Assert.Throws<ArgumentException>(() => Xoshiro256.FromState([0, 0, 0, 0]));
        for (int i = 0; i < 1000; i++) Assert.InRange(r.NextInt(7), 0, 6);
    }

    [Fact]
    public void UserSamplingDrawsUsersUniformlyAndSkipsUsersWithoutItems()
    {
        // User 0 has one item, user 1 nine, user 2 none: per-interaction sampling would pick user 1 nine times as
        // often as user 0; user-uniform sampling (the official LightGCN/NGCF samplers) picks each about 1/3 of the
        // draws and drops user 2's third.
        var users = new[] { 0, 1, 1, 1, 1, 1, 1, 1, 1, 1 };
        var items = new[] { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 };
        var train = Recsys.Data.InteractionMatrix.From(users, items, 3, 20);
        var s = new BprSampler(train, 2, sampling: PairSampling.Users);
        var rng = new Xoshiro256(3);
        var count = new int[3];
        int draws = 0;
        for (int epoch = 0; epoch < 300; epoch++)
        {
            var e = s.SampleEpoch(ref rng);
            draws += train.NonZeros;
            for (int i = 0; i < e.Count; i++)
            {
                count[e.Users[i]]++;
                Assert.True(train.Contains(e.Users[i], e.Positives[i]));
                for (int j = 0; j < 2; j++) Assert.False(train.Contains(e.Users[i], e.Negatives[i * 2 + j]));
            }
        }
        Assert.Equal(0, count[2]);
        // 3,000 draws, p = 1/3 each: sd ≈ 26, so ±130 is 5 sd.
        Assert.InRange(count[0], draws / 3 - 130, draws / 3 + 130);
        Assert.InRange(count[1], draws / 3 - 130, draws / 3 + 130);
    }

    [Fact]
    public void InteractionSamplingIsTheDefaultAndUnchangedByTheOption()
    {
        var (train, _) = TinyData.Communities();
        var r1 = new Xoshiro256(9);
        var r2 = new Xoshiro256(9);
        var a = new BprSampler(train, 1).SampleEpoch(ref r1);
        var b = new BprSampler(train, 1, sampling: PairSampling.Interactions).SampleEpoch(ref r2);
        Assert.Equal(a.Users, b.Users);
        Assert.Equal(a.Positives, b.Positives);
        Assert.Equal(a.Negatives, b.Negatives);
        Assert.Equal(PairSampling.Interactions, new TrainerOptions().Sampling);
    }
}
