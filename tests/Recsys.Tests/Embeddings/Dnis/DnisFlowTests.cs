using System.Text.Json.Nodes;
using Recsys.Data;
using Recsys.Embeddings.Dnis;
using Recsys.Models;
using Recsys.Tables;
using Recsys.Training;
using Recsys.Training.Objectives;
using Recsys.Tests.Infrastructure;

namespace Recsys.Tests.Embeddings.Dnis;

public class DnisFlowTests
{
    [Fact]
    public void SearchPruneFineTuneShrinksBothTablesToTheBudget()
    {
        var d = DnisData.Communities();
        var dir = Path.Combine(TestPaths.NewTempDir(), "run");
        var options = new MfOptions { Dim = 8, UserTable = DnisData.Spec(0.5), ItemTable = DnisData.Spec(0.25) };
        var result = DnisTraining.Train(Tc.Trainer(), DnisData.Inputs(d), options, new TrainerOptions { Epochs = 4, BatchSize = 16, EvalEvery = 0, Seed = 3 }, dir);
        Assert.False(result.Cancelled);
        Assert.Equal(2, result.Record.Epochs.Count); // 4 epochs in all: 2 of search, 2 of fine-tuning
        Assert.True(File.Exists(Path.Combine(dir, "search", "run.json")));
        var record = DnisRecord.Read(dir);
        Assert.Equal(new[] { "users", "items" }, record.Tables.Select(t => t.Side));
        var tables = result.Record.Tables!;
        Assert.Equal(record.Tables[0].KeptParameters, tables.UserParameters);
        Assert.Equal(record.Tables[1].KeptParameters, tables.ItemParameters);
        Assert.InRange(tables.UserParameters!.Value, 24 * 8 / 2 - 6, 24 * 8 / 2); // ≤ budget, short by < one column of a 6-user block
        Assert.InRange(tables.ItemParameters!.Value, 20 * 8 / 4 - 5, 20 * 8 / 4);
        var tuned = (MfOptions)result.Record.Model;
        Assert.IsType<MixedDimensionTableSpec>(tuned.UserTable);
        Assert.Equal(record.Tables[1].Kept.Select(k => k.ToArray()), ((MixedDimensionTableSpec)tuned.ItemTable).Kept.Select(k => k.ToArray()));

        // The fine-tuned run reloads from its folder alone, and its rows keep only the kept columns.
        var reloaded = new RunFolder(dir).ReadRecord(Tc.Catalog);
        using var model = reloaded.Model.Create(DnisData.Inputs(d), reloaded.Trainer.Seed);
        new RunFolder(dir).LoadModel(model.Module);
        var e = ((RecommenderModel)model).Embeddings();
        var blocks = FrequencyBlocks.Of(DnisData.Inputs(d).Train.ItemDegrees(), FrequencyBlocks.Equal(4));
        for (int i = 0; i < e.NumItems; i++)
            for (int j = 0; j < 8; j++)
                if (!record.Tables[1].Kept[blocks.BlockOf[i]].Contains(j)) Assert.Equal(0f, e.Items[i * 8 + j]);
        Assert.Equal(result.Embeddings!.Items, e.Items);
    }

    [Theory]
    [InlineData(OptimizerKind.Adam, DnisGradientNorm.Global, false)]
    [InlineData(OptimizerKind.Sgd, DnisGradientNorm.PerBlock, false)]
    [InlineData(OptimizerKind.Adam, DnisGradientNorm.Global, true)]
    public void AnInterruptedSearchResumesExactly(OptimizerKind optimizer, DnisGradientNorm norm, bool secondOrder)
    {
        var d = DnisData.Communities();
        var inputs = DnisData.Inputs(d);
        var item = DnisData.Spec(0.5) with { WarmupEpochs = 1, SearchEpochs = 2, AlphaOptimizer = optimizer, GradientNorm = norm, SecondOrder = secondOrder };
        var options = new MfOptions { Dim = 4, ItemTable = item };
        var to = new TrainerOptions { Epochs = 3, BatchSize = 16, EvalEvery = 0, Seed = 8 };
        var whole = Path.Combine(TestPaths.NewTempDir(), "whole");
        var split = Path.Combine(TestPaths.NewTempDir(), "split");
        Tc.Trainer().Train(inputs, options, to, whole);
        Tc.Trainer().Train(inputs, options, to with { Epochs = 2 }, split);
        Tc.Trainer().Resume(inputs, split, epochs: 3);
        Assert.Equal(File.ReadAllBytes(Path.Combine(whole, "item_embeddings.arrow")), File.ReadAllBytes(Path.Combine(split, "item_embeddings.arrow")));
        Assert.Equal(File.ReadAllBytes(Path.Combine(whole, "model.bin")), File.ReadAllBytes(Path.Combine(split, "model.bin")));
    }

    [Fact]
    public void DnisNeedsAValidationSplitAndEpochsToFineTune()
    {
        var d = DnisData.Communities();
        var options = new MfOptions { Dim = 4, ItemTable = DnisData.Spec(0.5) };
        var noValid = new ModelInputs("c", DnisData.Inputs(d).Train);
        Assert.Contains("validation split", Assert.Throws<InvalidDataException>(() =>
            DnisTraining.Train(Tc.Trainer(), noValid, options, new TrainerOptions { Epochs = 4 }, Path.Combine(TestPaths.NewTempDir(), "r"))).Message);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() =>
            DnisTraining.Train(Tc.Trainer(), DnisData.Inputs(d), options, new TrainerOptions { Epochs = 2 }, Path.Combine(TestPaths.NewTempDir(), "r")));
        Assert.Equal(nameof(TrainerOptions.Epochs), e.ParamName);
    }

    [Fact]
    public void CliTrainsDnisAndReportsDims()
    {
        var (dir, _, run) = DnisData.CliDnisRun("lightgcn", 3, "--dnis-budget", "0.5", "--dnis-valid-reg", "0", "--dnis-order", "second", "--user-table", "dnis");
        var model = JsonNode.Parse(File.ReadAllText(Path.Combine(run, "run.json")))!["model"]!;
        Assert.Equal("mixed-dim", model["itemTable"]!["kind"]!.GetValue<string>());
        var search = JsonNode.Parse(File.ReadAllText(Path.Combine(run, "search", "run.json")))!["model"]!;
        Assert.Equal("dnis", search["itemTable"]!["kind"]!.GetValue<string>());
        Assert.Equal("full", search["itemTable"]!["inner"]!["kind"]!.GetValue<string>());
        Assert.Equal(0.0, search["itemTable"]!["validationReg"]!.GetValue<double>());
        Assert.True(search["itemTable"]!["secondOrder"]!.GetValue<bool>());

        var report = Path.Combine(dir, "report");
        var dims = CliHarness.Run("report", "dims", run, "--out", report, "--json");
        Assert.True(dims.Code == 0, dims.Err + dims.Out);
        var o = JsonNode.Parse(dims.Out)!;
        Assert.Equal(4, o["tables"]![1]!["widths"]!.AsArray().Count);
        Assert.True(File.Exists(Path.Combine(report, "dims.png")));
        var text = CliHarness.Run("report", "dims", run, "--out", report, "--force");
        Assert.Contains("| block | ids | width |", text.Out);
    }

    [Theory]
    [InlineData("--dnis-budget", "1.5", "--dnis-budget")]
    [InlineData("--dnis-budget", "0", "--dnis-budget")]
    [InlineData("--dnis-blocks", "50", "--dnis-blocks")]
    [InlineData("--dnis-valid-reg", "-1", "--dnis-valid-reg")]
    [InlineData("--dnis-order", "third", "--dnis-order")]
    [InlineData("--dnis-alpha-optimizer", "rmsprop", "--dnis-alpha-optimizer")]
    public void CliRefusesBadDnisOptionsNamingThem(string flag, string value, string named)
    {
        var dir = TestPaths.NewTempDir();
        var data = Path.Combine(dir, "data");
        DatasetFolder.Write(DnisData.Communities(), data);
        var r = CliHarness.Run("train", "--data", data, "--model", "mf", "--dim", "4", "--epochs", "3", "--item-table", "dnis", flag, value, "--out", Path.Combine(dir, "run"));
        Assert.NotEqual(0, r.Code);
        Assert.Contains(named, r.Err);
        Assert.False(Directory.Exists(Path.Combine(dir, "run")));
    }

    [Fact]
    public void ReportDimsOnAPlainRunSaysWhy()
    {
        var r = CliHarness.Run("report", "dims", TestPaths.NewTempDir(), "--out", Path.Combine(TestPaths.NewTempDir(), "rep"));
        Assert.NotEqual(0, r.Code);
        Assert.Contains("not trained with a DNIS table", r.Err);
    }
}
