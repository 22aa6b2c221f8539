using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Recsys.Catalog;
using Recsys.Data;
using Recsys.Data.SemanticIds;
using Recsys.Embeddings.SemanticIds;
using Recsys.Embeddings.SemanticIds.Features;
using Recsys.Eval.Reports;
using Recsys.IO;
using Recsys.Training;
using Spectre.Console;

namespace Recsys.Cli.Commands;

/// <summary>
/// <c>recsys index semantic-ids</c>: item codes from any registered indexing method (one option per parameter any
/// method declares); <c>recsys index info</c>: the quality figures of a codes file.
/// </summary>
public static class IndexCommand
{
    public static Command Create() => Create(SemanticIndexers.Standard());

    public static Command Create(SemanticIndexers indexers)
    {
        var cmd = new Command("index", "Index items: semantic IDs.");
        cmd.Subcommands.Add(SemanticIds(indexers));
        cmd.Subcommands.Add(Info());
        return cmd;
    }

    private static Command SemanticIds(SemanticIndexers indexers)
    {
        var defaults = new SemanticIndexSettings();
        var data = new Option<string>("--data") { Description = "Dataset folder (its items, training histories, attributes and item_features.arrow).", Required = true };
        var method = new Option<string>("--method") { Description = "Indexing method: " + string.Join(", ", indexers.Kinds.Select(k => $"{k.Name} ({k.Description}; reads {k.Reads})")) + ".", Required = true };
        var levels = new Option<int>("--levels") { Description = "Semantic levels L (a disambiguation code is added on top).", DefaultValueFactory = _ => defaults.Levels };
        var codes = new Option<int>("--codes") { Description = "Codes per level K; at most the number of items.", DefaultValueFactory = _ => defaults.Codes };
        var seed = new Option<int>("--seed") { Description = "Seed of every random draw.", DefaultValueFactory = _ => defaults.Seed };
        var features = new Option<string?>("--features") { Description = "Item features file (item_features.arrow layout, from `recsys features --out FILE.arrow`) instead of the dataset's own." };
        var threads = new Option<int>("--torch-threads") { Description = "libtorch intra-op threads (0 = libtorch's default).", DefaultValueFactory = _ => 1 };
        var output = new Option<string>("--out") { Description = "Codes file (.arrow: item, c1..cL, dedup). NAME.index.json (what built it) and, for trained methods, NAME.loss.png are written beside it.", Required = true };
        var force = new Option<bool>("--force") { Description = "Replace existing output files." };
        var quiet = new Option<bool>("--quiet") { Description = "No progress lines on stderr." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object." };
        var parameters = new Dictionary<string, (Option<string?> Option, List<KindParameter> Of)>();
        foreach (var p in indexers.Kinds.SelectMany(k => k.Parameters))
            if (!parameters.TryGetValue(p.Name, out var entry))
                parameters[p.Name] = (new Option<string?>("--" + p.Name) { Description = p.Description }, [p]);
            else if (!entry.Of.Contains(p)) entry.Of.Add(p);
        var cmd = new Command("semantic-ids", "Semantic IDs of the items: RQ-VAE, RQ-KMeans, or the schemes of \"How to Index Item IDs\".");
        foreach (var o in new Option[] { data, method, levels, codes, seed, features, threads, output, force, quiet, json }.Concat(parameters.Values.Select(v => v.Option))) cmd.Options.Add(o);
        cmd.SetAction(pr =>
        {
            var kind = indexers.Get(pr.GetValue(method)!);
            if (pr.GetValue(threads) < 0) throw new ArgumentOutOfRangeException("--torch-threads", pr.GetValue(threads), "must be ≥ 0 (0 = libtorch's default).");
            var given = new KindArguments();
            var texts = new Dictionary<string, string>();
            foreach (var (name, (option, _)) in parameters)
            {
                if (pr.GetValue(option) is not { } text) continue;
                var p = kind.Parameters.FirstOrDefault(x => x.Name == name)
                    ?? throw new ArgumentException($"--{name} is not a parameter of --method {kind.Name}; methods taking it: {string.Join(", ", indexers.Kinds.Where(k => k.Parameters.Any(x => x.Name == name)).Select(k => k.Name))}.");
                try { given.Set(p, text); }
                catch (ArgumentOutOfRangeException e) { throw new ArgumentOutOfRangeException("--" + name, text, e.Message.Split(" (Parameter")[0]); }
                texts[name] = text;
            }
            var outPath = pr.GetValue(output)!;
            string recordPath = SemanticIndexRecord.PathFor(outPath), plotPath = Path.ChangeExtension(outPath, ".loss.png");
            var inputs = new (string, string?)[] { ("--data", pr.GetValue(data)), ("--features", pr.GetValue(features)) };
            foreach (var (name, path) in new[] { ("--out", outPath), ("--out's record", recordPath), ("--out's loss plot", plotPath) })
                OutputGuard.CheckFile(name, path, pr.GetValue(force), inputs);
            var settings = new SemanticIndexSettings { Levels = pr.GetValue(levels), Codes = pr.GetValue(codes), Seed = pr.GetValue(seed) };
            var d = DatasetFolder.Read(pr.GetValue(data)!);
            settings.Validate(d.NumItems);
            var featureFile = pr.GetValue(features);
            var input = SemanticIndexInput.From(d, featureFile is null ? null : ItemFeaturesFile.Read(featureFile, d.NumItems));
            var indexer = kind.Create(settings, given);
            var err = pr.InvocationConfiguration.Error;
            var progress = new LineProgress(pr.GetValue(quiet) ? TextWriter.Null : err);
            SemanticIndexResult result;
            var cpu0 = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
            using (TorchThreadLimit.ForCpu(TorchSharp.torch.CPU, pr.GetValue(threads)))
                result = indexer.Index(input, progress);
            double cpu = (System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds;
            result.Codes.Write(outPath);
            var record = new SemanticIndexRecord
            {
                Method = kind.Name, Settings = settings, Parameters = texts, Data = Path.GetFullPath(pr.GetValue(data)!),
                Features = kind.ReadsFeatures ? featureFile is null ? "dataset item_features.arrow" : Path.GetFullPath(featureFile) : null,
                Seconds = result.Seconds, CpuSeconds = cpu, TorchThreads = pr.GetValue(threads), ReconstructionError = result.ReconstructionError, ReseededCodes = result.ReseededCodes, Losses = result.Losses,
            };
            record.Write(recordPath);
            if (result.Losses.Count > 0) SemanticIndexLossPlot.Write(result.Losses, $"{kind.Name} on {d.Name}: {settings.Levels} × {settings.Codes}", plotPath);
            var info = SemanticIndexInfo.Of(result.Codes, d.Attributes);
            var w = pr.InvocationConfiguration.Output;
            if (pr.GetValue(json))
            {
                var o = new JsonObject { ["out"] = outPath, ["record"] = record.ToJson(), ["info"] = JsonNode.Parse(CliJson.Serialize(info)) };
                w.WriteLine(o.ToJsonString());
            }
            else
            {
                w.WriteLine($"{kind.Name}: {d.NumItems:N0} items → {settings.Levels} × {settings.Codes} codes + disambiguation in {result.Seconds:F1} s (cpu {cpu:F1} s) → {outPath}");
                IndexInfoTable.Print(w, info, record);
            }
            return 0;
        });
        return cmd;
    }

    private static Command Info()
    {
        var codes = new Argument<string>("codes") { Description = "Codes file (from `recsys index semantic-ids`)." };
        var data = new Option<string?>("--data") { Description = "Dataset folder the codes index: checks the item count and adds the agreement of c1 with the top category." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object." };
        var cmd = new Command("info", "Quality figures of a codes file: codebook use and perplexity per level, unique prefixes, collisions, category agreement.");
        cmd.Arguments.Add(codes);
        cmd.Options.Add(data);
        cmd.Options.Add(json);
        cmd.SetAction(pr =>
        {
            var path = pr.GetValue(codes)!;
            if (!File.Exists(path)) throw new FileNotFoundException($"{path}: codes file not found.", path);
            var d = pr.GetValue(data) is { } dir ? DatasetFolder.Read(dir) : null;
            var c = SemanticIdCodes.Read(path, d?.NumItems);
            var info = SemanticIndexInfo.Of(c, d?.Attributes);
            var record = SemanticIndexRecord.TryRead(SemanticIndexRecord.PathFor(path));
            var w = pr.InvocationConfiguration.Output;
            if (pr.GetValue(json))
            {
                var o = JsonNode.Parse(CliJson.Serialize(info))!.AsObject();
                o["file"] = path;
                o["reconstructionError"] = record?.ReconstructionError;
                o["seconds"] = record?.Seconds;
                o["cpuSeconds"] = record?.CpuSeconds;
                w.WriteLine(o.ToJsonString());
            }
            else
            {
                w.WriteLine($"{path}: {c.Method}, {c.NumItems:N0} items, {c.Levels} levels ({string.Join(" × ", c.Cardinalities.Take(c.Levels))}) + disambiguation");
                IndexInfoTable.Print(w, info, record);
            }
            return 0;
        });
        return cmd;
    }

    private sealed class LineProgress(TextWriter w) : IProgress<SemanticIndexProgress>
    {
        public void Report(SemanticIndexProgress p)
        {
            if (p.Loss is not { } l) { w.WriteLine(p.Stage + " …"); return; }
            if (p.Epoch == 1 || p.Epoch == p.Epochs || p.Epoch % 10 == 0)
                w.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"epoch {p.Epoch}/{p.Epochs}: loss {l.Total:F4} (reconstruction {l.Reconstruction:F4}, quantisation {l.Quantization:F4}), {l.Seconds:F2} s"));
        }
    }
}

/// <summary>The people-facing table of <see cref="SemanticIndexInfo"/>.</summary>
internal static class IndexInfoTable
{
    public static void Print(TextWriter w, SemanticIndexInfo info, SemanticIndexRecord? record)
    {
        var t = new Table().AddColumns("level", "codes", "used", "use", "perplexity", "unique prefixes");
        foreach (var l in info.PerLevel)
            t.AddRow(l.Level.ToString(CultureInfo.InvariantCulture), l.Codes.ToString("N0", CultureInfo.InvariantCulture), l.Used.ToString("N0", CultureInfo.InvariantCulture),
                l.Use.ToString("F3", CultureInfo.InvariantCulture), l.Perplexity.ToString("F1", CultureInfo.InvariantCulture), l.UniquePrefixes.ToString("N0", CultureInfo.InvariantCulture));
        var console = CliConsole.For(w);
        console.Write(t);
        w.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"unique on {info.Levels} codes: {info.UniqueTuples:N0} of {info.Items:N0} items ({info.UniqueFraction:P2}); items needing the disambiguation code: {info.ItemsNeedingLastCode:N0}; largest collision group: {info.LargestCollisionGroup}"));
        if (info.TopCategoryNmi is { } nmi)
            w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"NMI of c1 with the top category: {nmi:F4} ({info.ItemsWithCategory:N0} items with attributes)"));
        if (record?.ReconstructionError is { } re)
            w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"reconstruction error (MSE per standardised dimension): {re:F4}"));
        if (record is not null)
            w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"built by {record.Method} in {record.Seconds:F1} s{(record.ReseededCodes > 0 ? $", {record.ReseededCodes} dead codes re-seeded" : "")}"));
    }
}
