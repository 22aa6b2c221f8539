using Recsys.Data;
using Recsys.Data.SemanticIds;
using Recsys.Data.Synthetic;
using Recsys.Eval.Quickstart;
using Recsys.Models;
using Recsys.Tables.SemanticId;
using Recsys.Training;
using Recsys.Tests.Infrastructure;

namespace Recsys.Tests.Eval;

public class QuickstartRunnerTests
{
    private static QuickstartOptions Small(string dir) => new()
    {
        OutputFolder = dir,
        Data = new SyntheticOptions { Users = 240, Items = 160, Communities = 4, WithKnowledgeGraph = true, Seed = 7, Name = "qs-test" },
        Epochs = 12, EvalEvery = 4, Patience = 2, Models = ["mf", "lightgcn"], Variants = [], ColdItems = 0,
    };

    [Fact]
    public void RunsEveryBaselineAndModelAndWritesDataAndRuns()
    {
        var dir = Path.Combine(TestPaths.NewTempDir(), "qs");
        var steps = new List<string>();
        var rows = QuickstartRunner.Run(Small(dir), Tc.Catalog, new InlineProgress(p => steps.Add(p.Step)));

        Assert.Equal(["pop", "itemknn", "mf", "lightgcn"], rows.Select(r => r.Model));
        Assert.Equal(5, steps.Count);
        foreach (var r in rows)
            foreach (var (key, v) in r.Metrics)
                Assert.InRange(v, 0, 1);
        var data = DatasetFolder.Read(Path.Combine(dir, "data"));
        Assert.Equal(240, data.NumUsers);
        Assert.NotNull(data.Knowledge);
        Assert.True(File.Exists(Path.Combine(dir, "runs", "lightgcn", "run.json")));
        // Planted communities: a trained model must find them far better than popularity does.
        double pop = rows[0].Metrics["recall@20"];
        Assert.True(rows[3].Metrics["recall@20"] > pop + 0.05, $"lightgcn {rows[3].Metrics["recall@20"]:F4} vs pop {pop:F4}");
    }

    [Fact]
    public void The_sequential_part_trains_on_sequences_with_attributes()
    {
        var dir = Path.Combine(TestPaths.NewTempDir(), "qs");
        var steps = new List<string>();
        var o = Small(dir) with
        {
            Models = ["mf"], Epochs = 4,
            SequentialModels = ["sasrec"], SequenceEpochs = 12, Sequences = new SequenceOptions { Users = 300, Items = 120, Brands = 6 },
        };
        var rows = QuickstartRunner.Run(o, Tc.Catalog, new InlineProgress(p => steps.Add(p.Step)));
        var seq = rows.Where(r => r.Part == QuickstartRunner.SequencePart).ToList();
        Assert.Equal(["pop", "itemknn", "sasrec"], seq.Select(r => r.Model));
        Assert.Equal(rows.Count + 2, steps.Count); // + generating data, generating sequences
        var data = DatasetFolder.Read(Path.Combine(dir, QuickstartRunner.SequencePart, "data"));
        Assert.Equal(300, data.Test.Count);
        Assert.NotNull(data.Attributes);
        Assert.True(seq[2].Metrics["recall@10"] > seq[0].Metrics["recall@10"] + 0.1, $"sasrec {seq[2].Metrics["recall@10"]:F4} vs pop {seq[0].Metrics["recall@10"]:F4}");
    }

    [Fact]
    public void A_sequential_entry_with_a_preset_trains_the_presets_options_under_its_own_name()
    {
        var dir = Path.Combine(TestPaths.NewTempDir(), "qs");
        var o = Small(dir) with
        {
            Models = ["mf"], Epochs = 2,
            SequentialModels = ["grank+generator"], SequenceEpochs = 2, Sequences = new SequenceOptions { Users = 120, Items = 60, Brands = 4 },
        };
        var rows = QuickstartRunner.Run(o, Tc.Catalog);
        var row = rows.Single(r => r.Part == QuickstartRunner.SequencePart && r.Model == "grank+generator");
        var run = new RunFolder(row.RunFolder!).ReadRecord(Tc.Catalog);
        var grank = Assert.IsType<GRankOptions>(run.Model);
        Assert.Equal((0.0, 0.0, true), (grank.SelfAttentionWeight, grank.CrossAttentionWeight, grank.QueryFromLastItem));
        Assert.Equal(new GRankOptions().NextItemWeight, grank.NextItemWeight);
        Assert.EndsWith(Path.Combine("runs", "grank+generator"), row.RunFolder);
    }

    [Fact]
    public void A_generative_entry_reads_semantic_ids_the_quickstart_builds_for_the_sequences()
    {
        var dir = Path.Combine(TestPaths.NewTempDir(), "qs");
        var o = Small(dir) with
        {
            Models = ["mf"], Epochs = 2,
            SequentialModels = ["tiger+small"], SequenceEpochs = 2, Sequences = new SequenceOptions { Users = 120, Items = 60, Brands = 4 },
        };
        var steps = new List<QuickstartProgress>();
        var rows = QuickstartRunner.Run(o, Tc.Catalog, new Recsys.Tests.Training.SyncProgress<QuickstartProgress>(steps.Add));
        var row = rows.Single(r => r.Part == QuickstartRunner.SequencePart && r.Model == "tiger+small");
        var tiger = Assert.IsType<TigerOptions>(new RunFolder(row.RunFolder!).ReadRecord(Tc.Catalog).Model);
        var codes = Path.Combine(dir, QuickstartRunner.SequencePart, "codes.arrow");
        Assert.Equal(Path.GetFullPath(codes), tiger.Codes);
        Assert.Equal(SemanticIdTableSpec.Sha256Of(codes), tiger.CodesSha256);
        Assert.Equal(60, SemanticIdCodes.Read(codes, 60).NumItems);
        Assert.Equal((64, 1, 1, 10), (tiger.Dim, tiger.EncoderLayers, tiger.DecoderLayers, tiger.MaxItems)); // the small preset
        Assert.InRange(row.Metrics["recall@10"], 0, 1);
        Assert.Contains(steps, p => p.Step == "sequences: semantic IDs");
        Assert.All(steps, p => Assert.InRange(p.Index, 1, p.Total));
        Assert.Equal(steps[^1].Total, steps[^1].Index);
    }

    [Theory]
    [InlineData("nosuchmodel", "unknown model kind 'nosuchmodel'")]
    [InlineData("grank+nosuch", "grank has no preset 'nosuch'; its presets: generator")]
    [InlineData("sasrec+generator", "sasrec has no presets")]
    public void A_bad_sequential_entry_names_the_option_and_what_exists(string entry, string message)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => QuickstartSequentialModel.Parse(entry, Tc.Catalog));
        Assert.Equal(nameof(QuickstartOptions.SequentialModels), e.ParamName);
        Assert.Contains(message, e.Message);
        var dir = Path.Combine(TestPaths.NewTempDir(), "qs");
        var (code, _, err) = CliHarness.Run("quickstart", "--out", dir, "--sequential-models", $"sasrec,{entry}");
        Assert.Equal(Recsys.Cli.CliRunner.BadInput, code);
        Assert.Contains("--sequential-models", err);
        Assert.False(Directory.Exists(dir));
    }

    [Fact]
    public void A_dnis_variant_sits_next_to_its_model_at_half_the_embedding_parameters()
    {
        var dir = Path.Combine(TestPaths.NewTempDir(), "qs");
        var o = Small(dir) with { Models = ["lightgcn"], Epochs = 14, Variants = [QuickstartVariant.Dnis("lightgcn", 0.5)] };
        var rows = QuickstartRunner.Run(o, Tc.Catalog);

        Assert.Equal(["pop", "itemknn", "lightgcn", "lightgcn+dnis0.5"], rows.Select(r => r.Model));
        long full = rows[2].EmbeddingParameters!.Value, pruned = rows[3].EmbeddingParameters!.Value;
        Assert.Equal((240 + 160) * 64, full);
        // The budget is a count of scalars; pruning may fall short of it by at most one column per block (10 per table).
        Assert.InRange(pruned, full / 2 - 2 * 10 * 24, full / 2);
        Assert.True(File.Exists(Path.Combine(dir, "runs", "lightgcn+dnis0.5", "dnis.json")));
        Assert.True(rows[3].Metrics["recall@20"] > rows[0].Metrics["recall@20"] + 0.05, $"dnis {rows[3].Metrics["recall@20"]:F4} vs pop {rows[0].Metrics["recall@20"]:F4}");
    }

    [Fact]
    public void The_cold_item_part_places_held_out_items_through_their_semantic_ids()
    {
        var dir = Path.Combine(TestPaths.NewTempDir(), "qs");
        var o = new QuickstartOptions { OutputFolder = dir, Models = [], Variants = [], Epochs = 20, EvalEvery = 5 };
        var rows = QuickstartRunner.Run(o, Tc.Catalog).Where(r => r.Part == QuickstartRunner.ColdPart).ToList();

        Assert.Equal(["mf", "mf+sid:pieces", "mf+sid:hybrid"], rows.Select(r => r.Model));
        var cold = DatasetFolder.Read(Path.Combine(dir, QuickstartRunner.ColdPart, "data"));
        var trained = cold.TrainMatrix().ItemDegrees();
        Assert.Equal(80, trained.Count(d => d == 0)); // 10% of 800 items lost every training interaction
        var codes = Recsys.Data.SemanticIds.SemanticIdCodes.Read(Path.Combine(dir, QuickstartRunner.ColdPart, "codes.arrow"), 800);
        Assert.Equal(800, codes.NumItems);
        double idCold = rows[0].Metrics["cold recall@20"];
        foreach (var sid in rows.Skip(1))
            Assert.True(sid.Metrics["cold recall@20"] > idCold + 0.03, $"{sid.Model}: cold recall {sid.Metrics["cold recall@20"]:F4} vs ID {idCold:F4}");
        Assert.True(rows[1].EmbeddingParameters < rows[0].EmbeddingParameters);
    }

    [Theory]
    [InlineData("lightgcn+dnis0.5", "lightgcn+dnis0.5", "lightgcn")]
    [InlineData("mf+DNIS0.25", "mf+dnis0.25", "mf")]
    public void Parses_a_variant(string text, string label, string model)
    {
        var v = QuickstartVariant.Parse(text);
        Assert.Equal(label, v.Label);
        Assert.Equal(model, v.Model);
        var tables = v.Tables(new Recsys.Models.MfOptions());
        Assert.IsType<Recsys.Embeddings.Dnis.DnisTableSpec>(tables.ItemTable);
        Assert.IsType<Recsys.Embeddings.Dnis.DnisTableSpec>(tables.UserTable);
    }

    [Theory]
    [InlineData("lightgcn")]
    [InlineData("+dnis0.5")]
    [InlineData("lightgcn+dnis")]
    [InlineData("lightgcn+dnis1.5")]
    [InlineData("lightgcn+dnis0")]
    [InlineData("lightgcn+hashed0.5")]
    public void Refuses_a_malformed_variant(string text) => Assert.Throws<FormatException>(() => QuickstartVariant.Parse(text));

    [Fact]
    public void RefusesANonEmptyFolderWithoutForce()
    {
        var dir = TestPaths.NewTempDir();
        File.WriteAllText(Path.Combine(dir, "keep.txt"), "x");
        Assert.Throws<IOException>(() => QuickstartRunner.Run(Small(dir), Tc.Catalog));
        Assert.True(File.Exists(Path.Combine(dir, "keep.txt")));
    }

    [Fact]
    public void RejectsBadOptions()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => QuickstartRunner.Run(Small(TestPaths.NewTempDir()) with { Epochs = 0 }, Tc.Catalog));
        Assert.Equal("Epochs", e.ParamName);
    }

    private sealed class InlineProgress(Action<QuickstartProgress> f) : IProgress<QuickstartProgress>
    {
        public void Report(QuickstartProgress value) => f(value);
    }
}
