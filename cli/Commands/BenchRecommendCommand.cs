using System.CommandLine;
using Recsys.Catalog;
using Recsys.Data;
using Recsys.Eval.Bench;
using Recsys.Retrieval.Mips;
using Recsys.Retrieval.Recommenders;
using Recsys.Training;
using Spectre.Console;

namespace Recsys.Cli.Commands;

/// <summary>
/// <c>recsys bench recommend --run RUN --data DIR [--batch 1,64] [--users 2000] [--k 10] [index options]</c>: end-to-end
/// cost of a trained run's pipeline (encode → MIPS → ranker) per call at each batch size, and with an approximate
/// index its recall against exact MIPS.
/// </summary>
public static class BenchRecommendCommand
{
    public static Command Create(RecsysCatalog catalog)
    {
        var d = new RecommendBenchOptions();
        var run = new Option<string>("--run") { Description = "Run folder (recsys train).", Required = true };
        var data = new Option<string>("--data") { Description = "The run's dataset folder.", Required = true };
        var k = new Option<int>("--k") { Description = "Items per answer.", DefaultValueFactory = _ => d.K };
        var users = new Option<int>("--users") { Description = "Users sampled (seeded) and answered at every batch size.", DefaultValueFactory = _ => d.Users };
        var batch = new Option<string>("--batch") { Description = "Comma-separated users per call.", DefaultValueFactory = _ => string.Join(",", d.BatchSizes) };
        var seed = new Option<int>("--seed") { Description = "Seed of the user sample.", DefaultValueFactory = _ => d.Seed };
        var warmup = new Option<int>("--warmup")
        {
            Description = "Untimed calls before each batch size's timed ones (a long-running server's code is fully JIT-compiled; a few hundred calls get there).",
            DefaultValueFactory = _ => d.WarmupCalls,
        };
        var torchThreads = new Option<int>("--torch-threads") { Description = "libtorch intra-op threads of the encoder and ranker (0 = libtorch's default).", DefaultValueFactory = _ => 1 };
        var candidates = new Option<int?>("--candidates") { Description = "Two-stage runs: candidates N the first stage hands the ranker, instead of the model's own (taken literally, even on a small catalog)." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object." };
        var index = new MipsIndexOptions(defaultThreads: 1);
        var cmd = new Command("recommend", "End-to-end recommendation cost of a trained run (encode → MIPS → ranker): P50/P99 per call and users/s per batch size; recall against exact MIPS for other backends.");
        foreach (var o in new Option[] { run, data, k, users, batch, seed, warmup, torchThreads, candidates, json }.Concat(index.All)) cmd.Options.Add(o);
        cmd.MapParameters(("K", "--k"), ("Users", "--users"), ("BatchSizes", "--batch"), ("WarmupCalls", "--warmup"));
        cmd.SetAction(pr =>
        {
            var sizes = pr.GetValue(batch)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(s => int.TryParse(s, out int v) ? v : throw new ArgumentException($"--batch: '{s}' is not an integer.", "--batch")).ToArray();
            var options = new RecommendBenchOptions { K = pr.GetValue(k), Users = pr.GetValue(users), BatchSizes = sizes, Seed = pr.GetValue(seed), WarmupCalls = pr.GetValue(warmup) };
            options.Validate();
            using var limit = TorchThreadLimit.ForCpu(TorchSharp.torch.CPU, pr.GetValue(torchThreads));
            var choice = index.Parse(pr);
            var dataset = DatasetFolder.Read(pr.GetValue(data)!);
            string runDir = pr.GetValue(run)!;
            var record = new RunFolder(runDir).ReadRecord(catalog);
            int? n = pr.GetValue(candidates);
            using var rec = RunFolderRecommender.Load(runDir, dataset, catalog, choice, candidates: n);
            bool exact = choice.Factory is null && choice.Backend == MipsBackend.Cpu;
            using var reference = exact ? null : RunFolderRecommender.Load(runDir, dataset, catalog, candidates: n);
            bool asJson = pr.GetValue(json);
            var err = pr.InvocationConfiguration.Error;
            string backend = pr.GetValue(index.Backend)!;
            var report = RecommendBenchmark.Run(rec, record.Model.Kind, backend, options, reference,
                new Progress<string>(s => { if (!asJson) err.WriteLine($"running {s}…"); }));
            var w = pr.InvocationConfiguration.Output;
            if (asJson) { w.WriteLine(CliJson.Serialize(report)); return 0; }
            var console = CliConsole.For(w);
            console.WriteLine($"{report.Model}: {report.Pipeline}{(report.Candidates > 0 ? $" ({report.Candidates:N0} candidates)" : "")}, {report.Index} index, {report.Items:N0} items, {report.Users:N0} users, k = {report.K}"
                + (report.RecallVsExact is { } r ? $", recall@{report.K} vs exact {r:F4}" : ""));
            var t = new Table().AddColumns("batch", "calls", "users/s", "P50 ms", "P99 ms", "max ms");
            foreach (var row in report.Rows)
                t.AddRow($"{row.BatchSize}", $"{row.Calls:N0}", $"{row.UsersPerSecond:N0}", $"{row.P50Ms:F3}", $"{row.P99Ms:F3}", $"{row.MaxMs:F3}");
            console.Write(t);
            return 0;
        });
        return cmd;
    }
}
