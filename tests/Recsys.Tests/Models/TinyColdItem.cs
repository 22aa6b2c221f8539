using Recsys.Data;
using Recsys.Tests.Infrastructure;

namespace Recsys.Tests.Models;

/// <summary>The tiny data of the LightGCN new-item tests: users 0..3, items 0..3 with edges, item 4 without any (a cold item).</summary>
internal static class TinyColdItem
{
    public static InteractionMatrix Train { get; } = InteractionMatrix.From([0, 0, 1, 1, 2, 2, 3], [0, 1, 1, 2, 2, 3, 0], numUsers: 4, numItems: 5);

    /// <summary>The same training data as a dataset folder under <paramref name="dir"/>, user 3's test item the cold one.</summary>
    public static string Folder(string dir)
    {
        var data = Path.Combine(dir, "data");
        DatasetFolder.Write(new Dataset { Name = "tiny", NumUsers = 4, NumItems = 5, Train = new Interactions([0, 0, 1, 1, 2, 2, 3], [0, 1, 1, 2, 2, 3, 0]),
            Test = new Interactions([3], [4]) }, data);
        return data;
    }

    /// <summary><c>recsys train</c> on <paramref name="data"/> with <paramref name="args"/> exits with bad input naming <paramref name="flag"/> and writes no run folder.</summary>
    public static void AssertTrainRefused(string data, string flag, params string[] args)
    {
        var run = Path.Combine(Path.GetDirectoryName(data)!, "refused-" + Guid.NewGuid().ToString("N"));
        var (code, _, err) = CliHarness.Run(["train", "--data", data, "--model", "lightgcn", "--epochs", "1", "--device", "cpu", "--out", run, .. args]);
        Assert.Equal(Recsys.Cli.CliRunner.BadInput, code);
        Assert.Contains(flag, err);
        Assert.False(Directory.Exists(run));
    }
}
