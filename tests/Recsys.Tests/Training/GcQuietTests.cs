using System.Runtime;
using Recsys.Training;

namespace Recsys.Tests.Training;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class GcRegionCollection { public const string Name = "process-wide GC region"; }

/// <summary>The no-GC region is process-wide: it lasts while any holder, on any thread, still holds it.</summary>
[Collection(GcRegionCollection.Name)]
public class GcQuietTests
{
    [Fact]
    public void TheRegionEndsWhenTheLastHolderLeavesNotTheFirst()
    {
        using var aEntered = new ManualResetEventSlim(); using var bEntered = new ManualResetEventSlim();
        using var aLeave = new ManualResetEventSlim(); using var aLeft = new ManualResetEventSlim();
        GCLatencyMode afterA;
        var a = new Thread(() =>
        {
            using (GcQuiet.Enter()) { aEntered.Set(); aLeave.Wait(); }
            aLeft.Set();
        });
        a.Start();
        aEntered.Wait();
        Assert.Equal(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
        var b = GcQuiet.Enter();
        try
        {
            aLeave.Set(); aLeft.Wait();
            afterA = GCSettings.LatencyMode;   // this thread still holds it
        }
        finally { b.Dispose(); }
        a.Join();
        Assert.Equal(GCLatencyMode.NoGCRegion, afterA);
        Assert.NotEqual(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
    }

    [Fact]
    public void NestedAndDefaultHoldersAreHarmless()
    {
        using (GcQuiet.Enter())
        {
            using (GcQuiet.Enter()) Assert.Equal(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
            Assert.Equal(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
            default(GcQuiet).Dispose();
            Assert.Equal(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
        }
        Assert.NotEqual(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
    }

    [Fact]
    public void ARegionEndedByItsBudgetIsNotEndedTwice()
    {
        var q = GcQuiet.Enter();
        var junk = new List<byte[]>();
        for (int i = 0; i < 80; i++) junk.Add(new byte[1 << 20]);   // past the 64 MiB budget: the runtime ends the region
        GC.KeepAlive(junk);
        q.Dispose();
        Assert.NotEqual(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
        using (GcQuiet.Enter()) Assert.Equal(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
    }
}
