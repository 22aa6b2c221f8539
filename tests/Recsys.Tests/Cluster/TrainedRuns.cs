using Recsys.Data;
using Recsys.Data.Synthetic;
using Recsys.Devices;
using Recsys.Models;
using Recsys.Tests.Infrastructure;
using Recsys.Training;

namespace Recsys.Tests.Cluster;

/// <summary>A small synthetic dataset (also written as a folder) and two 2-epoch MF runs over it with different seeds.</summary>
public static class TrainedRuns
{
    private static readonly Lazy<(Dataset Data, string DataDir, string RunA, string RunB)> Value = new(() =>
    {
        var data = SyntheticGenerator.Generate(new SyntheticOptions { Users = 70, Items = 120, Seed = 3 });
        var root = TestPaths.NewTempDir();
        var dataDir = Path.Combine(root, "data");
        DatasetFolder.Write(data, dataDir);
        string Train(string name, ulong seed)
        {
            var dir = Path.Combine(root, name);
            new Trainer(Tc.Catalog).Train(ModelInputs.From(data), new MfOptions { Dim = 8 },
                new TrainerOptions { Epochs = 2, BatchSize = 64, EvalEvery = 0, Seed = seed, Device = DeviceChoice.Cpu }, dir);
            return dir;
        }
        return (data, dataDir, Train("run-a", 1), Train("run-b", 2));
    });

    public static Dataset Data => Value.Value.Data;
    public static string DataDir => Value.Value.DataDir;
    public static string RunA => Value.Value.RunA;
    public static string RunB => Value.Value.RunB;
}
