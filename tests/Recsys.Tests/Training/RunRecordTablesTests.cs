using System.Text.Json.Nodes;
using Recsys.Devices;
using Recsys.Embeddings.GraphHash;
using Recsys.Models;
using Recsys.Tables;
using Recsys.Tests.Infrastructure;
using Recsys.Training;

namespace Recsys.Tests.Training;

public class RunRecordTablesTests
{
    private static readonly TrainerOptions OneEpoch = new() { Epochs = 1, BatchSize = 64, LearningRate = 0.01, EvalEvery = 0, Seed = 3, Device = DeviceChoice.Cpu };

    private static JsonNode TrainAndReadTables(ModelOptions model)
    {
        var (train, _) = TinyData.Communities();                      // 40 users, 30 items
        var dir = TestPaths.NewTempDir();
        var r = Tc.Trainer().Train(train, "c", model, OneEpoch, dir);
        var json = JsonNode.Parse(File.ReadAllText(new RunFolder(dir).RunJson))!;
        Assert.Equal(r.Record.Tables!.UserRows, json["tables"]!["userRows"]!.GetValue<int>());
        return json["tables"]!;
    }

    [Fact]
    public void FullTablesHaveOneRowPerId()
    {
        var t = TrainAndReadTables(new MfOptions { Dim = 8 });
        Assert.Equal(40, t["userRows"]!.GetValue<int>());
        Assert.Equal(30, t["itemRows"]!.GetValue<int>());
        Assert.Equal(70, t["rows"]!.GetValue<int>());
        Assert.Equal(70, t["fullRows"]!.GetValue<int>());
    }

    [Fact]
    public void HashedTablesRecordTheRowsTheyBuilt()
    {
        // Modulo hashing keeps its budget (10); LSH with a budget of 12 builds 2^⌊log₂ 12⌋ = 8 rows.
        var t = TrainAndReadTables(new LightGcnOptions { Dim = 8, Layers = 1, UserTable = new RandomHashTableSpec(10), ItemTable = new LshTableSpec(12) });
        Assert.Equal(10, t["userRows"]!.GetValue<int>());
        Assert.Equal(8, t["itemRows"]!.GetValue<int>());
        Assert.Equal(40, t["users"]!.GetValue<int>());
        Assert.Equal(30, t["items"]!.GetValue<int>());
        Assert.Equal(70, t["fullRows"]!.GetValue<int>());
    }

    [Fact]
    public void GraphHashRecordsItsClusterCount()
    {
        var (train, _) = TinyData.Communities();
        var t = TrainAndReadTables(new MfOptions { Dim = 8, UserTable = new GraphHashTableSpec(1), ItemTable = new GraphHashTableSpec(1) });
        var inputs = Tc.Inputs(train);
        int users = GraphTableInputs.Clusters(inputs, TableSide.Users, 1, 0).Count, items = GraphTableInputs.Clusters(inputs, TableSide.Items, 1, 0).Count;
        Assert.InRange(users, 2, 39);                                 // two planted communities: far fewer rows than users
        Assert.Equal(users, t["userRows"]!.GetValue<int>());
        Assert.Equal(items, t["itemRows"]!.GetValue<int>());
    }

    [Fact]
    public void RunJsonWithoutTablesReadsAsNull()
    {
        var (train, _) = TinyData.Communities();
        var dir = TestPaths.NewTempDir();
        Tc.Trainer().Train(train, "c", new MfOptions { Dim = 8 }, OneEpoch, dir);
        var folder = new RunFolder(dir);
        var json = JsonNode.Parse(File.ReadAllText(folder.RunJson))!.AsObject();
        Assert.True(json.Remove("tables"));
        File.WriteAllText(folder.RunJson, json.ToJsonString());
        var record = folder.ReadRecord(Tc.Catalog);
        Assert.Null(record.Tables);
        Assert.Single(record.Epochs);
    }
}
