using Recsys.Data;
using Recsys.Data.Synthetic;
using Recsys.Devices;
using Recsys.Embeddings.Dnis;
using Recsys.Models;
using Recsys.Retrieval.Recommenders;
using Recsys.Tables;
using Recsys.Tests.Embeddings.Dnis;
using Recsys.Tests.Infrastructure;
using Recsys.Training;
using Recsys.Training.Objectives;
using static TorchSharp.torch;

namespace Recsys.Tests.Models.SequentialTables;

/// <summary>
/// SASRec, the two-tower model and GRank with item tables from the registry (issues #18 and #20): a hashed table
/// trains, counts its real size, shares rows between colliding items and round-trips through the run folder; a DNIS
/// table searches on validation examples, prunes to its budget and fine-tunes; padding never reaches the table.
/// </summary>
public class SequentialTableTests
{
    private static readonly Lazy<Dataset> Data = new(() =>
        SyntheticGenerator.Generate(new SyntheticOptions { Users = 50, Items = 40, Seed = 9 }));

    private static readonly TrainerOptions Options = new()
    {
        Epochs = 5, BatchSize = 16, LearningRate = 0.01, EvalEvery = 0, Seed = 12, Device = DeviceChoice.Cpu,
    };

    public static TheoryData<string> Models() => ["sasrec", "grank", "twotower"];

    private static ModelOptions Small(string name, EmbeddingTableSpec items) => name switch
    {
        "sasrec" => new SasRecOptions { Dim = 8, MaxLength = 8, Blocks = 1, ItemTable = items },
        "grank" => new GRankOptions { Dim = 8, MaxLength = 8, Blocks = 1, RankerLength = 10, Candidates = 5, RankerNegatives = 4, TrainedPrefixes = 4, SelfAttentionNegatives = 3, ItemTable = items },
        "twotower" => new TwoTowerOptions { Dim = 8, MaxLength = 8, Attributes = false, ItemTable = items },
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory, MemberData(nameof(Models))]
    public void AHashedItemTableTrainsCountsItsRowsAndRoundTrips(string name)
    {
        var data = Data.Value;
        var inputs = ModelInputs.From(data);
        var options = Small(name, new RandomHashTableSpec(10));   // item i → row i mod 10
        var dir = TestPaths.NewTempDir();
        var result = Tc.Trainer().Train(inputs, options, Options, dir);
        var losses = result.Record.Epochs.Select(e => e.Loss).ToArray();
        Assert.True(losses[^1] < losses[0], $"loss {string.Join(", ", losses)} did not drop");

        // The table's real size: 10 shared rows of 8, not one padded row per item; the model counts what it holds.
        var tables = result.Record.Tables!;
        Assert.Equal(10, tables.ItemRows);
        Assert.Equal(40, tables.Items);
        Assert.Equal(80, tables.ItemParameters);
        using (var fresh = options.Create(inputs, 1))
        {
            Assert.Equal(fresh.Module.parameters().Sum(p => p.numel()), fresh.ParameterCount);
            Assert.Equal(fresh.ParameterCount, result.Record.Parameters);
            var names = fresh.Module.named_parameters().Select(p => p.name).ToList();
            Assert.DoesNotContain(names, n => n.EndsWith("item_embedding", StringComparison.Ordinal));
            Assert.Contains("item_table.rows.weight", names);
        }

        // SASRec and GRank serve the table's rows: colliding items share a vector.
        var items = result.Embeddings!.Items;
        if (name != "twotower")
            for (int i = 0; i < 10; i++)
                Assert.Equal(items.AsSpan(i * 8, 8).ToArray(), items.AsSpan((i + 10) * 8, 8).ToArray());

        // The run folder loads back into the same snapshot, and the loaded encoder answers as the trained one.
        using var loaded = RunFolderRecommender.Load(dir, data, Tc.Catalog);
        Assert.Equal(items, loaded.Snapshot.Embeddings.Items);
        int[][] histories = [[1, 2, 3], [], [5, 15, 25, 35, 4, 14, 24, 34, 3, 13]];
        Assert.Equal(result.Snapshot!.Encoder!.Encode(histories), loaded.Snapshot.Encoder!.Encode(histories));
    }

    [Theory, MemberData(nameof(Models))]
    public void ADnisItemTableSearchesOnValidationPrunesToItsBudgetAndFineTunes(string name)
    {
        var d = DnisData.Communities();
        var inputs = DnisData.Inputs(d);
        var spec = new DnisTableSpec(new FullTableSpec(TableInit.XavierUniform)) { Fractions = FrequencyBlocks.Equal(4), WarmupEpochs = 1, SearchEpochs = 2, Budget = 0.5 };
        var options = Small(name, spec);
        var dir = Path.Combine(TestPaths.NewTempDir(), "run");
        var to = Options with { Epochs = 5 };
        var result = DnisTraining.Train(Tc.Trainer(), inputs, options, to, dir);
        Assert.False(result.Cancelled);

        // The search trained (its loss dropped) and moved α on the validation examples after the warm-up.
        var search = new RunFolder(Path.Combine(dir, DnisTraining.SearchFolder)).ReadRecord(Tc.Catalog);
        Assert.True(search.Epochs[^1].Loss < search.Epochs[0].Loss, $"search loss {search.Epochs[0].Loss} → {search.Epochs[^1].Loss}");
        var record = DnisRecord.Read(dir);
        var side = Assert.Single(record.Tables);
        Assert.Equal("items", side.Side);
        Assert.Contains(side.Alpha.SelectMany(a => a), a => a < 1f);

        // Pruned to at most half of 20 × 8 scalars, short by less than one column of a 5-item block; the model reports it.
        Assert.InRange(side.KeptParameters, 20 * 8 / 2 - 5, 20 * 8 / 2);
        Assert.Equal(side.KeptParameters, result.Record.Tables!.ItemParameters);
        Assert.IsType<MixedDimensionTableSpec>(result.Record.Model.ItemTable);
        Assert.Equal(2, result.Record.Epochs.Count);

        // The fine-tuned run reloads from its folder; SASRec's and GRank's item vectors keep only their block's columns.
        using var loaded = RunFolderRecommender.Load(dir, d, Tc.Catalog);
        var items = loaded.Snapshot.Embeddings.Items;
        Assert.Equal(result.Embeddings!.Items, items);
        if (name == "twotower") return;
        var blocks = FrequencyBlocks.Of(inputs.Train.ItemDegrees(), FrequencyBlocks.Equal(4));
        for (int i = 0; i < 20; i++)
            for (int j = 0; j < 8; j++)
                if (!side.Kept[blocks.BlockOf[i]].Contains(j)) Assert.Equal(0f, items[i * 8 + j]);
    }

    [Fact]
    public void TheAlphaGroupIsSteppedOnlyByTheHeldOutPhaseAndTheModelGroupNeverHoldsAlpha()
    {
        var d = DnisData.Communities();
        var inputs = DnisData.Inputs(d);
        var spec = new DnisTableSpec(new FullTableSpec()) { Fractions = FrequencyBlocks.Equal(2), WarmupEpochs = 0, SearchEpochs = 1 };
        using var model = (SasRec)Small("sasrec", spec).Create(inputs, 3);
        var groups = model.ParameterGroups(Options);
        Assert.Equal([ParameterGroup.Default, DnisTable.GroupName("items")], groups.Select(g => g.Name));
        var alpha = Assert.Single(groups[1].Parameters);
        Assert.DoesNotContain(groups[0].Parameters, p => p.Handle == alpha.Handle);
        Assert.Equal(model.parameters().Count(), groups.Sum(g => g.Parameters.Count));
        var phases = model.Phases(inputs, Options);
        Assert.Equal([ParameterGroup.Default, DnisTable.GroupName("items")], phases.Select(p => p.Optimizer));

        // One held-out example per user with a validation item (every user here), i.e. the validation split.
        var heldOut = new SasRecHeldOutPhase(model, inputs.Valid!, Options, "dnis-items");
        Assert.Equal(d.Valid!.Count, heldOut.Examples);

        // Without a validation split the α phase cannot exist, and says why.
        var noValid = new ModelInputs("c", inputs.Train) { Histories = inputs.Histories };
        Assert.Contains("validation split", Assert.Throws<InvalidDataException>(() => model.Phases(noValid, Options)).Message);
    }

    [Fact]
    public void HeldOutLossIsTheFinalPositionsCrossEntropyByHand()
    {
        var inputs = ModelInputs.From(Data.Value);
        using var model = (SasRec)Small("sasrec", new RandomHashTableSpec(25)).Create(inputs, 5);
        model.eval();
        int[][] windows = [[3, 1, 4], [1, 5, 9, 2, 6]];
        float got = model.Loss(windows, null, CPU, finalOnly: true).item<float>();

        using var _ = no_grad();
        var h = model.Network.Forward(tensor(new long[] { 0, 0, 4, 2, /**/ 2, 6, 10, 3 }, [2, 4])).contiguous().data<float>().ToArray();
        var items = model.Network.Items.contiguous().data<float>().ToArray();
        int d = 8, n = 40;
        double sum = 0;
        foreach (var (s, target) in new[] { (0, 4), (1, 6) })
        {
            var q = h.AsSpan((s * 4 + 3) * d, d).ToArray();
            var logits = Enumerable.Range(0, n).Select(i => (double)System.Numerics.Tensors.TensorPrimitives.Dot(q, items.AsSpan(i * d, d))).ToArray();
            double max = logits.Max(), lse = max + Math.Log(logits.Sum(l => Math.Exp(l - max)));
            sum += lse - logits[target];
        }
        Assert.Equal(sum / 2, got, 4);
    }

    [Fact]
    public void PaddingPositionsGetAZeroRowAndNoGradientInTheTable()
    {
        var inputs = ModelInputs.From(Data.Value);
        // 40 rows for 40 items: a registry table with one row per item, so item 0's row is its own.
        var options = (SasRecOptions)Small("sasrec", new RandomHashTableSpec(40)) with { Objective = SasRecObjective.BinaryCrossEntropy, Dropout = 0 };
        using var model = (SasRec)options.Create(inputs, 7);
        int[][] windows = [[1, 2, 3], [4, 5, 6, 7, 8, 9, 10]];             // the first is left-padded by four positions
        int[][] negatives = [[11, 12], [13, 14, 15, 16, 17, 18]];
        using var loss = model.Loss(windows, negatives, CPU);
        loss.backward();
        var weight = model.named_parameters().Single(p => p.name == "item_table.rows.weight").parameter;
        Assert.Equal(0f, weight.grad!.select(0, 0).abs().max().item<float>());   // item 0 appears nowhere
        Assert.NotEqual(0f, weight.grad!.select(0, 1).abs().max().item<float>());

        // Padding rows are zero whatever item 0's row holds: moving it leaves the loss unchanged.
        using (no_grad()) weight.select(0, 0).fill_(3.5f);
        using var again = model.Loss(windows, negatives, CPU);
        Assert.Equal(loss.item<float>(), again.item<float>(), 6);
        var rows = SequenceItems.Over((IEmbeddingTable)model.named_children().Single(c => c.name == "item_table").module);
        using var padded = rows.Rows(tensor(new long[] { 0, 1, 0 }));
        Assert.Equal(0f, padded[0].abs().max().item<float>());
        Assert.Equal(3.5f, padded[1].min().item<float>());
    }

    [Fact]
    public void BadCombinationsNameTheOption()
    {
        var hashed = new RandomHashTableSpec(10);
        foreach (var o in new ModelOptions[] { new SasRecOptions { UserTable = hashed }, new GRankOptions { UserTable = hashed }, new TwoTowerOptions { UserTable = hashed } })
        {
            var e = Assert.Throws<ArgumentOutOfRangeException>(o.Validate);
            Assert.Equal(nameof(ModelOptions.UserTable), e.ParamName);
            Assert.Contains("user table", e.Message);
        }
        // An item table for a width other than the model's cannot arise: the table is built at the model's Dim.
        using var model = (SasRec)Small("sasrec", hashed).Create(ModelInputs.From(Data.Value), 1);
        Assert.Equal(8, model.Network.Items.shape[1]);
    }

    [Fact]
    public void TheCliTrainsSasRecWithADnisItemTableAndEvaluatesIt()
    {
        var dir = TestPaths.NewTempDir();
        var folder = Path.Combine(dir, "data");
        DatasetFolder.Write(DnisData.Communities(), folder);
        var run = Path.Combine(dir, "run");
        var (code, _, err) = CliHarness.Run("train", "--data", folder, "--model", "sasrec", "--dim", "8", "--max-length", "6", "--blocks", "1",
            "--item-table", "dnis", "--dnis-blocks", "4", "--dnis-budget", "0.5", "--dnis-warmup", "1", "--dnis-search-epochs", "1",
            "--epochs", "3", "--eval-every", "1", "--device", "cpu", "--out", run);
        Assert.True(code == 0, err);
        var (rc, output, rerr) = CliHarness.Run("eval", "--data", folder, "--run", run, "--k", "10", "--json");
        Assert.True(rc == 0, rerr);
        Assert.InRange(System.Text.Json.Nodes.JsonNode.Parse(output)!["recall@10"]!.GetValue<double>(), 0, 1);

        // A user table other than full is refused before training, naming the flag.
        (rc, _, rerr) = CliHarness.Run("train", "--data", folder, "--model", "sasrec", "--user-table", "random", "--table-rows", "5",
            "--epochs", "1", "--device", "cpu", "--out", Path.Combine(dir, "bad"));
        Assert.NotEqual(0, rc);
        Assert.Contains("user-table", rerr);
    }
}
