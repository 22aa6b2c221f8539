using System.Diagnostics;
using Recsys.IO;
using Recsys.Tests.Infrastructure;

namespace Recsys.Tests.Cluster;

/// <summary><c>retrieve --cluster</c> and <c>eval --cluster</c> with an address that is wrong or reaches nothing: one line naming --cluster, non-zero exit, nothing written.</summary>
public sealed class ClusterBatchCliTests
{
    [Fact]
    public void A_malformed_cluster_address_names_the_flag()
    {
        var (code, _, err) = CliHarness.Run("eval", "--data", TrainedRuns.DataDir, "--run", TrainedRuns.RunA, "--cluster", "tcp://10.0.0.1");
        Assert.Equal(2, code);
        Assert.StartsWith("error: --cluster", err);
        Assert.Contains("redis://HOST:PORT", err);
    }

    [Fact]
    public void Eval_of_a_baseline_on_the_cluster_is_refused_before_connecting()
    {
        var (code, _, err) = CliHarness.Run("eval", "--data", TrainedRuns.DataDir, "--model", "pop", "--cluster", "localhost");
        Assert.Equal(2, code);
        Assert.Contains("--cluster", err);
        Assert.Contains("--run", err);
    }

    [Fact]
    public void An_unreachable_cluster_names_the_flag_and_writes_nothing()
    {
        var dir = TestPaths.NewTempDir();
        NpyFile.WriteFloat32(Path.Combine(dir, "q.npy"), ItemFiles.Random(4, 3, 1, coarse: false), 4, 3);
        NpyFile.WriteFloat32(Path.Combine(dir, "i.npy"), ItemFiles.Random(9, 3, 2, coarse: false), 9, 3);
        var outPath = Path.Combine(dir, "out.npy");
        // Nothing listens on port 1 of loopback.
        var sw = Stopwatch.StartNew();
        var (code, _, err) = CliHarness.Run("retrieve", "--queries", Path.Combine(dir, "q.npy"), "--items", Path.Combine(dir, "i.npy"),
            "--k", "3", "--out", outPath, "--cluster", "localhost:1");
        Assert.NotEqual(0, code);
        Assert.StartsWith("error: --cluster localhost:1: ", err);
        Assert.Contains("cannot reach the cluster", err);
        Assert.False(File.Exists(outPath));
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(40), $"took {sw.Elapsed.TotalSeconds:F0} s");
    }
}
