using System.CommandLine;
using System.Diagnostics;
using System.Text.Json.Nodes;
using Recsys.Data;
using Recsys.Embeddings.SemanticIds.Features;
using Recsys.IO;

namespace Recsys.Cli.Commands;

/// <summary>
/// <c>recsys features</c>: dense item features from blocks (attributes, co-occurrence, knowledge graph, a vectors file),
/// each standardised per dimension and concatenated — written as a new dataset folder (the input's files plus
/// item_features.arrow) or, for an --out ending in .arrow, as a stand-alone features file. The input folder is never
/// modified.
/// </summary>
public static class FeaturesCommand
{
    public static Command Create()
    {
        var defaults = new FeatureBlockSettings();
        var data = new Option<string>("--data") { Description = "Dataset folder.", Required = true };
        var from = new Option<string>("--from") { Description = "Comma-separated feature blocks, in order: " + string.Join("; ", ItemFeatureBlocks.Names.Select(b => $"{b.Name} ({b.Description})")) + ".", Required = true };
        var npy = new Option<string?>("--npy") { Description = "Vectors of the npy block: float32 .npy [n, d] (ids from --ids, NAME.ids.npy, or row = item), or an embeddings .arrow." };
        var ids = new Option<string?>("--ids") { Description = "int32 .npy of the item id of each --npy row." };
        var dim = new Option<int>("--dim") { Description = "FastRP width of the cooccurrence and kg blocks.", DefaultValueFactory = _ => defaults.GraphDim };
        var attributeDim = new Option<int>("--attribute-dim") { Description = "Random-projection width of the attributes block (0 = one standardised column per attribute, which lets rare attributes dominate).", DefaultValueFactory = _ => defaults.AttributeDim };
        var seed = new Option<int>("--seed") { Description = "Seed of the FastRP and attribute projections.", DefaultValueFactory = _ => defaults.Seed };
        var output = new Option<string>("--out") { Description = "A new dataset folder (the input plus item_features.arrow), or FILE.arrow for the features alone.", Required = true };
        var force = new Option<bool>("--force") { Description = "Replace an existing --out." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object." };
        var cmd = new Command("features", "Build dense item features (item_features.arrow) for semantic IDs and feature-aware models.");
        foreach (var o in new Option[] { data, from, npy, ids, dim, attributeDim, seed, output, force, json }) cmd.Options.Add(o);
        cmd.SetAction(pr =>
        {
            var names = pr.GetValue(from)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (names.Length == 0) throw new ArgumentException("--from: name at least one feature block.");
            if (pr.GetValue(npy) is not null && !names.Contains("npy", StringComparer.OrdinalIgnoreCase))
                throw new ArgumentException("--npy is read by the npy block: add npy to --from.");
            if (pr.GetValue(ids) is not null && pr.GetValue(npy) is null) throw new ArgumentException("--ids names the rows of --npy; give --npy too.");
            if (pr.GetValue(dim) < 1) throw new ArgumentOutOfRangeException("--dim", pr.GetValue(dim), "must be at least 1.");
            if (pr.GetValue(attributeDim) < 0) throw new ArgumentOutOfRangeException("--attribute-dim", pr.GetValue(attributeDim), "must be ≥ 0.");
            var settings = new FeatureBlockSettings { GraphDim = pr.GetValue(dim), AttributeDim = pr.GetValue(attributeDim), Seed = pr.GetValue(seed), VectorsPath = pr.GetValue(npy), IdsPath = pr.GetValue(ids) };
            var blocks = names.Select(n => ItemFeatureBlocks.Create(n, settings)).ToList();
            var outPath = pr.GetValue(output)!;
            bool file = outPath.EndsWith(".arrow", StringComparison.OrdinalIgnoreCase);
            var inputs = new (string, string?)[] { ("--data", pr.GetValue(data)), ("--npy", pr.GetValue(npy)), ("--ids", pr.GetValue(ids)) };
            if (file) OutputGuard.CheckFile("--out", outPath, pr.GetValue(force), inputs);
            else OutputGuard.CheckFolder("--out", outPath, pr.GetValue(force), inputs);
            var d = DatasetFolder.Read(pr.GetValue(data)!);
            var sw = Stopwatch.StartNew();
            var (features, made) = ItemFeatureBuilder.Build(d, blocks);
            sw.Stop();
            string description = string.Join(",", made.Select(b => $"{b.Name}({b.Dim})"));
            if (file) ItemFeaturesFile.Write(outPath, features);
            else
            {
                var prov = new Dictionary<string, string>(d.Provenance) { ["item_features"] = description, ["item_features.from"] = Path.GetFullPath(pr.GetValue(data)!) };
                DatasetFolder.Write(d with { ItemFeatures = features, Provenance = prov }, outPath, overwrite: pr.GetValue(force));
            }
            var w = pr.InvocationConfiguration.Output;
            if (pr.GetValue(json))
            {
                var blocksJson = new JsonArray();
                foreach (var (name, width) in made) blocksJson.Add(new JsonObject { ["name"] = name, ["dim"] = width });
                w.WriteLine(new JsonObject { ["items"] = features.NumItems, ["dim"] = features.Dim, ["blocks"] = blocksJson, ["seconds"] = sw.Elapsed.TotalSeconds, ["out"] = outPath }.ToJsonString());
            }
            else
                w.WriteLine($"item features: {features.NumItems:N0} items × {features.Dim} ({description}), each block standardised per dimension, {sw.Elapsed.TotalSeconds:F2} s → {outPath}");
            return 0;
        });
        return cmd;
    }
}
