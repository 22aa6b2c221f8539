using Recsys.Catalog;
using System.CommandLine;
using System.Globalization;
using Recsys.Embeddings.FastRp;
using Recsys.Eval;
using Recsys.Eval.Baselines;
using Recsys.IO;
using Spectre.Console;

namespace Recsys.Cli.Commands;

/// <summary><c>recsys eval</c>: full-ranking evaluation of embeddings or a training-free baseline on a dataset folder.</summary>
public static class EvalCommand
{
    public static Command Create(RecsysCatalog catalog)
    {
        var data = new Option<string>("--data") { Description = "Dataset folder (dataset.json + Arrow files).", Required = true };
        var userEmb = new Option<string?>("--user-embeddings") { Description = "User embeddings (.arrow id+embedding, or .npy float32 [users, d])." };
        var itemEmb = new Option<string?>("--item-embeddings") { Description = "Item embeddings (.arrow or .npy, [items, d])." };
        var run = new Option<string?>("--run") { Description = "Run folder written by `recsys train` (its user and item embeddings)." };
        var model = new Option<string?>("--model") { Description = "Training-free baseline instead of embeddings: pop | itemknn | fastrp." };
        model.AcceptOnlyFromAmong("pop", "itemknn", "fastrp");
        var fastRpDefaults = new FastRpOptions();
        var dim = new Option<int>("--dim") { Description = "FastRP: embedding dimension.", DefaultValueFactory = _ => fastRpDefaults.Dim };
        var weights = new Option<string>("--weights") { Description = "FastRP: comma-separated weights α1..αq of the powers A^1..A^q.", DefaultValueFactory = _ => string.Join(',', fastRpDefaults.Weights.Select(w => w.ToString(CultureInfo.InvariantCulture))) };
        var beta = new Option<float>("--beta") { Description = "FastRP: degree normalisation strength β (0 = off).", DefaultValueFactory = _ => fastRpDefaults.Beta };
        var seed = new Option<int>("--seed") { Description = "FastRP: seed of the random projection.", DefaultValueFactory = _ => fastRpDefaults.Seed };
        var kg = new Option<bool>("--kg") { Description = "FastRP: embed the collaborative knowledge graph (users, items, KG entities) instead of the user-item graph." };
        var ks = new Option<string>("--k") { Description = "Cut-offs, comma-separated, e.g. 20,50.", DefaultValueFactory = _ => "20" };
        var split = new Option<string>("--split") { Description = "Held-out split to score: test | valid.", DefaultValueFactory = _ => "test" };
        split.AcceptOnlyFromAmong("test", "valid");
        var items = new Option<string>("--items") { Description = "Held-out items scored: all | cold (absent from the training split) | warm | longtail (trained, at most the median training popularity).", DefaultValueFactory = _ => "all" };
        items.AcceptOnlyFromAmong("all", "cold", "warm", "longtail");
        var legacy = new Option<bool>("--legacy-ndcg") { Description = "Also report NGCF/KGAT-code NDCG as ndcg_legacy@K." };
        var neighbours = new Option<int>("--neighbours") { Description = "Item-KNN: neighbours kept per item.", DefaultValueFactory = _ => 100 };
        var blockSize = new Option<int>("--block-size") { Description = "Users per scoring block.", DefaultValueFactory = _ => 2048 };
        var firstStage = new Option<bool>("--first-stage") { Description = "With --run of a two-stage model (grank): score the first stage's list alone, without its ranker." };
        var candidates = new Option<int?>("--candidates") { Description = "With --run of a two-stage model (grank): candidates N the generator hands the ranker, instead of the model's own (taken literally, even on a small catalog)." };
        var coldSlots = new Option<double?>("--cold-slots") { Description = "With --run of a generative model (tiger): give at most this share of each list to items without training interactions whose codes (all but the disambiguation code) match a generated item's — TIGER's ε for new items." };
        var beam = new Option<int?>("--beam") { Description = "With --run of a model that decodes by beam search (tiger): decode with this beam width instead of the run's (wider: closer to the exact top K, slower)." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object on stdout." };
        var outDir = new Option<string?>("--out") { Description = "Save metrics.json + per_user.arrow to this folder (for `recsys compare`)." };
        var force = new Option<bool>("--force") { Description = "Replace an existing --out folder." };
        var index = new MipsIndexOptions();
        var cluster = new BatchClusterOptions(blockSize);

        var cmd = new Command("eval", "Full-ranking evaluation (all items ranked, seen items excluded) of embeddings or a baseline.");
        cmd.MapParameters(("Ks", "--k"), ("DataFolder", "--data"), ("Run", "--run"), ("ColdSlots", "--cold-slots"), ("coldSlots", "--cold-slots"), ("Beam", "--beam"), ("beam", "--beam"));
        foreach (var o in new Option[] { data, run, userEmb, itemEmb, model, dim, weights, beta, seed, kg, ks, split, items, legacy, neighbours, blockSize, firstStage, candidates, coldSlots, beam }.Concat(index.All).Concat(cluster.All).Concat([json, outDir, force]))
            cmd.Options.Add(o);
        cmd.SetAction(pr =>
        {
            var request = new EvalRequest
            {
                DataFolder = pr.GetValue(data)!,
                Run = pr.GetValue(run),
                FirstStageOnly = pr.GetValue(firstStage),
                Candidates = pr.GetValue(candidates),
                ColdSlots = pr.GetValue(coldSlots),
                Beam = pr.GetValue(beam),
                UserEmbeddings = pr.GetValue(userEmb),
                ItemEmbeddings = pr.GetValue(itemEmb),
                Model = pr.GetValue(model) switch { "pop" => BaselineModel.Popularity, "itemknn" => BaselineModel.ItemKnn, "fastrp" => BaselineModel.FastRp, _ => null },
                Options = new EvaluationOptions
                {
                    Ks = ParseKs(pr.GetValue(ks)!),
                    Split = pr.GetValue(split) == "valid" ? EvalSplit.Valid : EvalSplit.Test,
                    Items = pr.GetValue(items) switch { "cold" => HeldOutItems.Cold, "warm" => HeldOutItems.Warm, "longtail" => HeldOutItems.LongTail, _ => HeldOutItems.All },
                    LegacyNdcg = pr.GetValue(legacy),
                    ColdShare = true,
                    BlockSize = pr.GetValue(blockSize),
                },
                Index = index.Parse(pr),
                ItemKnn = new ItemKnnOptions { Neighbours = pr.GetValue(neighbours) },
                FastRpOnKnowledgeGraph = pr.GetValue(kg),
                FastRp = fastRpDefaults with { Dim = pr.GetValue(dim), Weights = EmbedCommand.ParseWeights(pr.GetValue(weights)!), Beta = pr.GetValue(beta), Seed = pr.GetValue(seed) },
            };
            request.Validate();
            if (pr.GetValue(outDir) is { } target)
                OutputGuard.CheckFolder("--out", target, pr.GetValue(force), ("--data", request.DataFolder), ("--run", request.Run),
                    ("--user-embeddings", request.UserEmbeddings), ("--item-embeddings", request.ItemEmbeddings));
            string? clusterItems = request.Run is { } r ? new Recsys.Training.RunFolder(r).ItemEmbeddingsFile : request.ItemEmbeddings;
            if (cluster.Given(pr) && clusterItems is null) throw new ArgumentException("the cluster searches embeddings: give --run, or --user-embeddings with --item-embeddings.", "--cluster");
            using var clusterHost = cluster.Connect(pr);
            if (clusterHost is not null) request = request with { Index = cluster.Choice(clusterHost, pr, clusterItems!) };
            var stdout = pr.InvocationConfiguration.Output;
            var stderr = pr.InvocationConfiguration.Error;
            bool asJson = pr.GetValue(json);
            var result = cluster.Guard(pr, () => asJson ? EvalPipeline.Run(request, catalog: catalog) : RunWithProgress(request, stderr, catalog));
            if (pr.GetValue(outDir) is { } o) EvaluationResultFolder.Save(result, o, pr.GetValue(force));
            if (asJson) { stdout.WriteLine(result.ToJson().ToJsonString()); return 0; }
            var console = ConsoleFor(stdout);
            console.Write(MetricTable(result));
            console.WriteLine($"{result.NumUsers} users evaluated in {result.Seconds:0.00} s" + (result.Scoring is { } how ? $", ranked by {how}." : "."));
            if (pr.GetValue(outDir) is { } saved) console.WriteLine($"saved to {saved}");
            return 0;
        });
        return cmd;
    }

    /// <summary>"20,50" → [20, 50]; bad entries throw an ArgumentException naming --k.</summary>
    internal static int[] ParseKs(string text)
    {
        var parts = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length == 0) throw new ArgumentException("--k: give at least one cut-off, e.g. --k 20,50.");
        return parts.Select(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out int k) && k > 0 ? k
            : throw new ArgumentException($"--k: '{p}' is not a positive integer.")).ToArray();
    }

    /// <summary>A Spectre console writing to <paramref name="writer"/> (plain text when it is not a terminal).</summary>
    internal static IAnsiConsole ConsoleFor(TextWriter writer) => CliConsole.For(writer);

    /// <summary>Rows = metric families, columns = cut-offs.</summary>
    private static Table MetricTable(EvaluationResult r)
    {
        var parsed = r.Keys.Select(k => (Key: k, Name: k[..k.IndexOf('@')], K: int.Parse(k[(k.IndexOf('@') + 1)..], CultureInfo.InvariantCulture))).ToArray();
        var kValues = parsed.Select(p => p.K).Distinct().Order().ToArray();
        var table = new Table().AddColumn("metric");
        foreach (var k in kValues) table.AddColumn(new TableColumn($"@{k}").RightAligned());
        foreach (var name in parsed.Select(p => p.Name).Distinct())
        {
            var cells = new List<string> { name };
            foreach (var k in kValues)
                cells.Add(r.Has($"{name}@{k}") ? r.Mean($"{name}@{k}").ToString("0.0000", CultureInfo.InvariantCulture) : "");
            table.AddRow(cells.ToArray());
        }
        return table;
    }

    /// <summary>Shows a progress bar on stderr when it is an interactive terminal; plain run otherwise.</summary>
    private static EvaluationResult RunWithProgress(EvalRequest request, TextWriter stderr, RecsysCatalog catalog)
    {
        if (!ReferenceEquals(stderr, Console.Error) || Console.IsErrorRedirected) return EvalPipeline.Run(request, catalog: catalog);
        EvaluationResult? result = null;
        ConsoleFor(stderr).Progress().Start(ctx =>
        {
            var task = ctx.AddTask("ranking users");
            result = EvalPipeline.Run(request, new TaskProgress(task), catalog: catalog);
        });
        return result!;
    }

    private sealed class TaskProgress(ProgressTask task) : IProgress<EvaluationProgress>
    {
        public void Report(EvaluationProgress p)
        {
            task.MaxValue = Math.Max(1, p.UsersTotal);
            task.Value = p.UsersDone;
        }
    }
}
