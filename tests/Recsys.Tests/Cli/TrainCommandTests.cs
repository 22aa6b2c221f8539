using System.Text.Json.Nodes;
using Recsys.Cli;
using Recsys.Data;
using Recsys.Tests.Infrastructure;
using Recsys.Tests.Training;

namespace Recsys.Tests.Cli;

public class TrainCommandTests
{
    internal static string TinyDatasetFolder()
    {
        var (train, test) = TinyData.Communities();
        static Interactions Pairs(InteractionMatrix m)
        {
            var u = new List<int>(); var i = new List<int>();
            for (int x = 0; x < m.NumUsers; x++) foreach (var it in m.ItemsOf(x)) { u.Add(x); i.Add(it); }
            return new Interactions(u.ToArray(), i.ToArray());
        }
        var dir = Path.Combine(TestPaths.NewTempDir(), "tiny");
        DatasetFolder.Write(new Dataset { Name = "tiny", NumUsers = train.NumUsers, NumItems = train.NumItems, Train = Pairs(train), Test = Pairs(test) }, dir);
        return dir;
    }

    private static (int Code, string Out, string Err) Run(params string[] args) => CliHarness.Run(args);

    [Fact]
    public void NgcfVariantReachesTheRunRecordAndTheBenchmark()
    {
        var data = TinyDatasetFolder();
        var run = Path.Combine(TestPaths.NewTempDir(), "run");
        var (code, _, err) = Run("train", "--data", data, "--model", "ngcf", "--variant", "code", "--dim", "16", "--layers", "1", "--epochs", "1",
            "--eval-every", "0", "--batch", "32", "--device", "cpu", "--node-dropout", "0", "--message-dropout", "0.25", "--out", run);
        Assert.True(code == 0, err);
        var ngcf = Assert.IsType<Recsys.Models.NgcfOptions>(new Recsys.Training.RunFolder(run).ReadRecord(Tc.Catalog).Model);
        Assert.Equal(Recsys.Models.NgcfVariant.Code, ngcf.Variant);
        Assert.Equal(0, ngcf.NodeDropout);
        Assert.Equal(0.25, ngcf.MessageDropout);
        Assert.NotEqual(0, Run("train", "--data", data, "--model", "mf", "--variant", "code", "--epochs", "1", "--out", run + "2").Code);
        Assert.NotEqual(0, Run("train", "--data", data, "--model", "lightgcn", "--node-dropout", "0.1", "--epochs", "1", "--out", run + "3").Code);
        var (badCode, _, badErr) = Run("train", "--data", data, "--model", "ngcf", "--node-dropout", "1", "--epochs", "1", "--out", run + "4");
        Assert.NotEqual(0, badCode);
        Assert.Contains("--node-dropout", badErr);
        Assert.False(Directory.Exists(run + "4"));

        var (bc, bout, berr) = Run("bench", "train", "--data", data, "--model", "ngcf", "--breakdown", "--batches", "1", "--dim", "16",
            "--variant", "code", "--json");
        Assert.True(bc == 0, berr);
        Assert.Contains("\"ngcf\"", bout);
        Assert.NotEqual(0, Run("bench", "train", "--data", data, "--model", "ngcf", "--variant", "pytorch").Code);
    }

    [Fact]
    public void TrainsResumesAndReports()
    {
        var data = TinyDatasetFolder();
        var run = Path.Combine(TestPaths.NewTempDir(), "run");
        var (code, stdout, err) = Run("train", "--data", data, "--model", "lightgcn", "--dim", "8", "--layers", "2", "--epochs", "2",
            "--eval-every", "1", "--batch", "32", "--lr", "0.01", "--device", "cpu", "--k", "5", "--json", "--out", run);
        Assert.True(code == 0, err);
        var summary = JsonNode.Parse(stdout)!;
        Assert.Equal("lightgcn", summary["model"]!.GetValue<string>());
        Assert.Equal("test", summary["split"]!.GetValue<string>());
        Assert.True(summary["metrics"]!["recall@5"]!.GetValue<double>() >= 0);
        Assert.Equal(70, summary["tables"]!["rows"]!.GetValue<int>());   // full tables: 40 users + 30 items

        // The run chooses epochs on recall@5: another K is refused, and no --k resumes at the run's own K.
        (code, _, err) = Run("train", "--resume", run, "--data", data, "--epochs", "3", "--k", "20");
        Assert.Equal(CliRunner.BadInput, code);
        Assert.Contains("--k", err);
        Assert.Contains("recall@5", err);
        (code, _, err) = Run("train", "--resume", run, "--data", data, "--epochs", "3", "--json");
        Assert.True(code == 0, err);
        var rec = new Recsys.Training.RunFolder(run).ReadRecord(Tc.Catalog);
        Assert.Equal(3, rec.Epochs.Count);
        Assert.Equal(3, rec.Evaluations.Count);
        Assert.All(rec.Evaluations, e => Assert.True(e.Metrics.ContainsKey("recall@5")));
        Assert.Equal("recall@5", rec.PrimaryMetric);

        var report = Path.Combine(TestPaths.NewTempDir(), "report");
        (code, stdout, err) = Run("report", run, "--out", report);
        Assert.True(code == 0, err);
        Assert.Contains("| run | lightgcn |", stdout);
        Assert.True(File.Exists(Path.Combine(report, "loss.png")));
        Assert.True(File.Exists(Path.Combine(report, "recall_at_5.png")));
        Assert.True(File.Exists(Path.Combine(report, "report.md")));
    }

    [Fact]
    public void EvalEveryZeroAndBadOptions()
    {
        var data = TinyDatasetFolder();
        var run = Path.Combine(TestPaths.NewTempDir(), "run");
        var (code, _, err) = Run("train", "--data", data, "--model", "mf", "--dim", "4", "--epochs", "1", "--eval-every", "0", "--device", "cpu", "--json", "--out", run);
        Assert.True(code == 0, err);
        Assert.Empty(new Recsys.Training.RunFolder(run).ReadRecord(Tc.Catalog).Evaluations);
        (code, _, err) = Run("train", "--data", data, "--model", "gcn", "--out", run + "2");
        Assert.Equal(CliRunner.BadInput, code);
        Assert.Contains("registered: mf, lightgcn, ngcf, kgat", err);
    }

    [Fact]
    public void SamplerPoolAndTorchThreadsReachTheRunRecord()
    {
        var data = TinyDatasetFolder();
        var run = Path.Combine(TestPaths.NewTempDir(), "run");
        var (code, _, err) = Run("train", "--data", data, "--model", "mf", "--dim", "4", "--epochs", "1", "--eval-every", "0", "--device", "cpu",
            "--negatives-from", "trained", "--torch-threads", "2", "--json", "--out", run);
        Assert.True(code == 0, err);
        var trainer = new Recsys.Training.RunFolder(run).ReadRecord(Tc.Catalog).Trainer;
        Assert.Equal(Recsys.Training.NegativePool.TrainedItems, trainer.NegativePool);
        Assert.Equal(2, trainer.TorchThreads);
        (code, _, _) = Run("train", "--data", data, "--model", "mf", "--negatives-from", "cold", "--out", run + "2");
        Assert.NotEqual(0, code);
    }

    [Fact]
    public void DeviceFlagKeepsItsValues()
    {
        var data = TinyDatasetFolder();
        var run = Path.Combine(TestPaths.NewTempDir(), "run");
        var (code, _, err) = Run("train", "--data", data, "--model", "mf", "--dim", "4", "--epochs", "1", "--eval-every", "0", "--device", "tpu", "--out", run);
        Assert.Equal(CliRunner.BadInput, code);
        Assert.Contains("--device: expected auto, cpu, cuda or cuda:N", err);
        // The trainer takes no device index, as before.
        (code, _, err) = Run("train", "--data", data, "--model", "mf", "--dim", "4", "--epochs", "1", "--eval-every", "0", "--device", "cuda:1", "--out", run + "2");
        Assert.Equal(CliRunner.BadInput, code);
        Assert.Contains("--device: expected auto, cpu or cuda.", err);
    }
}
