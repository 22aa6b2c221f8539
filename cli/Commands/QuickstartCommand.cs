using System.CommandLine;
using System.Text.Json.Nodes;
using Recsys.Catalog;
using Recsys.Eval.Quickstart;
using Spectre.Console;

namespace Recsys.Cli.Commands;

/// <summary><c>recsys quickstart</c>: generate the embedded synthetic dataset, run every model and baseline, print a metrics table.</summary>
public static class QuickstartCommand
{
    public static Command Create(RecsysCatalog catalog)
    {
        var output = new Option<string?>("--out") { Description = "Folder for the generated data and runs (default: data/quickstart)." };
        var epochs = new Option<int>("--epochs") { Description = "Training epochs per model.", DefaultValueFactory = _ => 40 };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the data and of training.", DefaultValueFactory = _ => 2020UL };
        var json = new Option<bool>("--json") { Description = "Print one JSON object on stdout." };
        var models = new Option<string>("--models")
        {
            Description = $"Comma-separated model kinds to train (registered: {string.Join(", ", catalog.Models.Select(m => m.Name))}).",
            DefaultValueFactory = _ => "mf,lightgcn,ngcf,kgat",
        };
        var sequential = new Option<string>("--sequential-models")
        {
            Description = "Comma-separated model kinds trained on the synthetic sequences (leave-one-out, K = 10), each KIND (its defaults) or KIND+PRESET (e.g. grank+generator); none skips the sequential part.",
            DefaultValueFactory = _ => DefaultSequentialModels,
        };
        var variants = new Option<string>("--variants")
        {
            Description = "Comma-separated table variants trained beside the graph models, MODEL+dnisBUDGET (DNIS on both tables at BUDGET of the full parameters); none skips them.",
            DefaultValueFactory = _ => "lightgcn+dnis0.5",
        };
        var coldItems = new Option<double>("--cold-items")
        {
            Description = "Share of the graph data's items held out of training for the cold-item part (MF with ID vs semantic-ID tables); 0 skips it.",
            DefaultValueFactory = _ => 0.1,
        };
        var cmd = new Command("quickstart", "Generate synthetic data (communities, power-law popularity, knowledge graph), train and evaluate every model.");
        foreach (var o in new Option[] { output, epochs, seed, json, models, sequential, variants, coldItems }) cmd.Options.Add(o);
        cmd.MapParameters(("model", "--models"), ("SequentialModels", "--sequential-models"), ("ColdItems", "--cold-items"));
        cmd.SetAction(pr =>
        {
            var outDir = pr.GetValue(output) ?? Path.Combine("data", "quickstart");
            ulong s = pr.GetValue(seed);
            var options = new QuickstartOptions
            {
                OutputFolder = outDir, Epochs = pr.GetValue(epochs), Seed = s, Force = pr.GetValue(output) is null,
                Models = pr.GetValue(models)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                SequentialModels = pr.GetValue(sequential) is "none" or "" ? [] : pr.GetValue(sequential)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            };
            options = options with { Data = options.Data with { Seed = (int)(s % int.MaxValue) }, Variants = Variants(pr.GetValue(variants)!, catalog), ColdItems = pr.GetValue(coldItems) };
            var stderr = pr.InvocationConfiguration.Error;
            var rows = QuickstartRunner.Run(options, catalog, new SyncProgress<QuickstartProgress>(p => stderr.WriteLine($"[{p.Index}/{p.Total}] {p.Step}…")));
            var stdout = pr.InvocationConfiguration.Output;
            if (pr.GetValue(json))
            {
                var obj = new JsonObject { ["data"] = Path.GetFullPath(Path.Combine(outDir, "data")), ["models"] = Models(rows.Where(r => r.Part == QuickstartRunner.GraphPart)) };
                if (rows.Any(r => r.Part == QuickstartRunner.ColdPart))
                    obj["coldItems"] = new JsonObject
                    {
                        ["data"] = Path.GetFullPath(Path.Combine(outDir, QuickstartRunner.ColdPart, "data")),
                        ["models"] = Models(rows.Where(r => r.Part == QuickstartRunner.ColdPart)),
                    };
                if (rows.Any(r => r.Part == QuickstartRunner.SequencePart))
                    obj["sequences"] = new JsonObject
                    {
                        ["data"] = Path.GetFullPath(Path.Combine(outDir, QuickstartRunner.SequencePart, "data")),
                        ["models"] = Models(rows.Where(r => r.Part == QuickstartRunner.SequencePart)),
                    };
                stdout.WriteLine(obj.ToJsonString());
                return 0;
            }
            var console = EvalCommand.ConsoleFor(stdout);
            foreach (var part in rows.GroupBy(r => r.Part))
            {
                var list = part.ToList();
                var keys = list[0].Metrics.Keys.ToList();
                var title = part.Key switch
                {
                    QuickstartRunner.SequencePart => "quickstart — synthetic sequences, leave-one-out test, full ranking, seen items excluded",
                    QuickstartRunner.ColdPart => $"quickstart — cold items ({options.ColdItems * 100:0.#}% held out of training): ID table vs semantic IDs of attributes",
                    _ => $"quickstart — test split, full ranking ({Path.GetFullPath(outDir)})",
                };
                var table = new Table().Title(title);
                table.AddColumn("model");
                foreach (var k in keys) table.AddColumn(new TableColumn(k).RightAligned());
                table.AddColumn(new TableColumn("emb. params").RightAligned());
                table.AddColumn(new TableColumn("best epoch").RightAligned());
                table.AddColumn(new TableColumn("seconds").RightAligned());
                foreach (var r in list)
                    table.AddRow([r.Model, .. keys.Select(k => r.Metrics[k].ToString("0.0000")), r.EmbeddingParameters?.ToString("N0") ?? "-", r.BestEpoch?.ToString() ?? "-", r.Seconds.ToString("0.0")]);
                console.Write(table);
            }
            var firstRun = rows.FirstOrDefault(r => r.RunFolder is not null)?.RunFolder;
            console.WriteLine("Next: recsys data info " + Path.Combine(outDir, "data") + (firstRun is null ? "" : "   |   recsys report " + Path.GetRelativePath(Environment.CurrentDirectory, firstRun))
                + "   |   recsys serve (the quickstart model over HTTP)");
            return 0;
        });
        return cmd;
    }

    private static IReadOnlyList<QuickstartVariant> Variants(string text, RecsysCatalog catalog)
    {
        if (text is "none" or "") return [];
        var list = new List<QuickstartVariant>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            QuickstartVariant v;
            try { v = QuickstartVariant.Parse(part); }
            catch (FormatException e) { throw new ArgumentException($"--variants: {e.Message}"); }
            if (catalog.FindModel(v.Model) is null)
                throw new ArgumentException($"--variants: '{part}' names model '{v.Model}', which is not registered ({string.Join(", ", catalog.Models.Select(m => m.Name))}).");
            list.Add(v);
        }
        return list;
    }

    /// <summary>The sequential kinds the quickstart trains unless told otherwise.</summary>
    public const string DefaultSequentialModels = "sasrec,twotower,grank+generator";

    private static JsonObject Models(IEnumerable<QuickstartRow> rows)
    {
        var models = new JsonObject();
        foreach (var r in rows)
        {
            var m = new JsonObject();
            foreach (var (k, v) in r.Metrics) m[k] = v;
            m["seconds"] = Math.Round(r.Seconds, 3);
            if (r.BestEpoch is { } b) m["bestEpoch"] = b;
            if (r.EmbeddingParameters is { } p) m["embeddingParameters"] = p;
            models[r.Model] = m;
        }
        return models;
    }
}
