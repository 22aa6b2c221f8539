using System.Text.Json.Nodes;
using Recsys.Devices;
using Recsys.Models;
using Recsys.Tests.Infrastructure;
using Recsys.Training;

namespace Recsys.Tests.Training;

/// <summary>run.json keeps the device as the plain strings it held when the option was a string.</summary>
public class RunRecordDeviceTests
{
    // A run.json as written before DeviceChoice (trimmed to the fields a record needs).
    private static string OldRunJson(string trainerDevice, string device) => $$"""
        {
          "format": "recsys-run/1",
          "model": { "model": "mf", "dim": 8, "userTable": { "kind": "full" }, "itemTable": { "kind": "full" } },
          "trainer": { "epochs": 4, "batchSize": 64, "learningRate": 0.01, "evalEvery": 1, "device": "{{trainerDevice}}" },
          "data": { "name": "hand", "users": 6, "items": 4, "trainInteractions": 12, "trainSha256": "00" },
          "device": "{{device}}",
          "epochs": [],
          "evaluations": [],
          "bestEpoch": 0,
          "status": "completed",
          "savedEpoch": 4
        }
        """;

    [Theory]
    [InlineData("cpu", "cpu")]
    [InlineData("auto", "cpu")]
    [InlineData("cuda", "cuda")]
    public void OldStyleStringsLoadAndRoundTrip(string trainerDevice, string device)
    {
        var r = RunRecord.FromJson(OldRunJson(trainerDevice, device), "run.json", Tc.Catalog);
        Assert.Equal(DeviceChoice.Parse(trainerDevice), r.Trainer.Device);
        Assert.Equal(DeviceChoice.Parse(device), r.Device);
        var written = r.ToJson(Tc.Catalog);
        var node = JsonNode.Parse(written)!;
        Assert.Equal(trainerDevice, node["trainer"]!["device"]!.GetValue<string>());
        Assert.Equal(device, node["device"]!.GetValue<string>());
        var again = RunRecord.FromJson(written, "run.json", Tc.Catalog);
        Assert.Equal(r.Trainer, again.Trainer);
        Assert.Equal(r.Device, again.Device);
        Assert.Equal(written, again.ToJson(Tc.Catalog));
    }

    [Fact]
    public void MissingDeviceFieldsTakeTheDefaults()
    {
        var json = JsonNode.Parse(OldRunJson("cpu", "cpu"))!.AsObject();
        json.Remove("device");
        json["trainer"]!.AsObject().Remove("device");
        var r = RunRecord.FromJson(json.ToJsonString(), "run.json", Tc.Catalog);
        Assert.Equal(DeviceChoice.Auto, r.Trainer.Device);
        Assert.Equal(DeviceChoice.Cpu, r.Device);
    }

    [Fact]
    public void TrainerWritesStringsAndResumesFromThem()
    {
        var (train, _) = TinyData.Communities();
        var dir = TestPaths.NewTempDir();
        var o = new TrainerOptions { Epochs = 1, BatchSize = 64, LearningRate = 0.01, EvalEvery = 0, Seed = 3, Device = DeviceChoice.Cpu };
        Tc.Trainer().Train(train, "c", new MfOptions { Dim = 4 }, o, dir);
        var json = JsonNode.Parse(File.ReadAllText(new RunFolder(dir).RunJson))!;
        Assert.Equal("cpu", json["trainer"]!["device"]!.GetValue<string>());
        Assert.Equal("cpu", json["device"]!.GetValue<string>());
        var resumed = Tc.Trainer().Resume(train, dir, epochs: 2);
        Assert.Equal(2, resumed.Record.Epochs.Count);
        Assert.Equal(DeviceChoice.Cpu, resumed.Record.Trainer.Device);
    }
}
