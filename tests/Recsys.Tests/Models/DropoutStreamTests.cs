using Recsys.Models;

namespace Recsys.Tests.Models;

public class DropoutStreamTests
{
    [Fact]
    public void KeepsAboutOneMinusPAndScalesTheKeptEntries()
    {
        // 1,000,003 entries (many parallel chunks and an odd tail), p = 0.1: kept ~ Binomial(n, 0.9), sd ≈ 300.
        var stream = new DropoutStream(7);
        var f = new float[1_000_003];
        stream.Scaled(f, 0.1);
        float scale = (float)(1 / 0.9);
        int kept = f.Count(v => v != 0);
        Assert.All(f, v => Assert.True(v == 0 || v == scale));
        Assert.InRange(kept, 0.9 * f.Length - 2000, 0.9 * f.Length + 2000);
        // Neighbouring chunks draw from different streams: their masks differ.
        Assert.NotEqual(f.AsSpan(0, 16_384).ToArray(), f.AsSpan(16_384, 16_384).ToArray());
    }

    [Fact]
    public void LeakyFactorsKeepTheSameEntriesAsPlainMasks()
    {
        var h = Enumerable.Range(0, 50_001).Select(i => (float)Math.Sin(i)).ToArray();
        h[10] = 0; // libtorch's leaky ReLU takes the slope at 0
        var plain = new float[h.Length];
        var leaky = new float[h.Length];
        new DropoutStream(3).Scaled(plain, 0.25);
        new DropoutStream(3).LeakyScaled(h, leaky, 0.25, 0.2f);
        float s = 1 / 0.75f;
        for (int i = 0; i < h.Length; i++)
            Assert.Equal(plain[i] == 0 ? 0f : h[i] > 0 ? s : 0.2f * s, leaky[i]);
    }

    [Fact]
    public void LeakyApplyWritesTheSameFactorsAndTheLayerOutputInPlace()
    {
        var h = Enumerable.Range(0, 40_003).Select(i => (float)Math.Cos(0.7 * i)).ToArray();
        h[5] = 0;
        var factors = new float[h.Length];
        var applied = (float[])h.Clone();
        var appliedFactors = new float[h.Length];
        var a = new DropoutStream(9);
        var b = new DropoutStream(9);
        a.LeakyScaled(h, factors, 0.1, 0.2f);
        b.LeakyApply(applied, appliedFactors, 0.1, 0.2f);
        Assert.Equal(factors, appliedFactors);
        for (int i = 0; i < h.Length; i++) Assert.Equal(h[i] * factors[i], applied[i]);
        Assert.Equal(a.SaveState(), b.SaveState()); // one stream word each: later masks stay aligned
    }

    [Fact]
    public void SavedStateResumesTheSameMasks()
    {
        var a = new DropoutStream(11);
        var first = new float[1000];
        a.Scaled(first, 0.5);
        var state = a.SaveState();
        var next = new float[1000];
        a.Scaled(next, 0.5);

        var b = new DropoutStream(99);
        b.RestoreState(state);
        var resumed = new float[1000];
        b.Scaled(resumed, 0.5);
        Assert.Equal(next, resumed);
        Assert.NotEqual(first, next);
        Assert.Throws<InvalidDataException>(() => b.RestoreState(new byte[5056]));
    }

    [Fact]
    public void ZeroProbabilityKeepsEverythingAndOneIsRejected()
    {
        var f = new float[100];
        new DropoutStream(1).Scaled(f, 0);
        Assert.All(f, v => Assert.Equal(1f, v));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DropoutStream(1).Scaled(f, 1));
    }
}
