using System.CommandLine;
using System.Diagnostics;
using System.Text.Json.Nodes;
using Recsys.IO;
using Recsys.Eval.NodeClassification;

namespace Recsys.Cli.Commands;

/// <summary><c>recsys eval node-classification</c>: multi-label node classification of graph embeddings (Macro/Micro-F1).</summary>
public static class NodeClassificationCommand
{
    public static Command Create()
    {
        var defaults = new NodeClassificationOptions();
        var embeddings = new Option<string>("--embeddings") { Description = "Embeddings (.arrow, or .npy with NAME.ids.npy beside it).", Required = true };
        var labels = new Option<string>("--labels") { Description = "CSV of node,label lines (a node may have several).", Required = true };
        var ratio = new Option<double>("--train-ratio") { Description = "Share of labelled nodes used for training.", DefaultValueFactory = _ => defaults.TrainRatio };
        var repeats = new Option<int>("--repeats") { Description = "Random splits to average over.", DefaultValueFactory = _ => defaults.Repeats };
        var seed = new Option<int>("--seed") { Description = "Seed of the splits.", DefaultValueFactory = _ => defaults.Seed };
        var c = new Option<double>("--c") { Description = "Inverse L2 strength C of logistic regression (scikit-learn's C; ML.NET L2 = 1/C).", DefaultValueFactory = _ => defaults.C };
        var json = new Option<bool>("--json") { Description = "Print one JSON object." };
        var cmd = new Command("node-classification", "One-vs-rest logistic regression on embeddings; Macro- and Micro-F1 over random splits.");
        foreach (var o in new Option[] { embeddings, labels, ratio, repeats, seed, c, json }) cmd.Options.Add(o);
        cmd.SetAction(pr =>
        {
            var options = new NodeClassificationOptions
            {
                TrainRatio = pr.GetValue(ratio), Repeats = pr.GetValue(repeats), Seed = pr.GetValue(seed), C = pr.GetValue(c),
            };
            options.Validate();
            var e = EmbeddingFile.ReadLabelled(pr.GetValue(embeddings)!);
            var labelPath = pr.GetValue(labels)!;
            var l = NodeLabels.Read(labelPath);
            var ids = Enumerable.Range(0, e.Count).Select(e.IdText).ToArray();
            var sw = Stopwatch.StartNew();
            var r = NodeClassificationEvaluator.Evaluate(e.Vectors, e.Dim, ids, l, options, labelPath);
            sw.Stop();
            var w = pr.InvocationConfiguration.Output;
            if (pr.GetValue(json))
                w.WriteLine(new JsonObject
                {
                    ["macroF1"] = r.MacroMean, ["macroF1Std"] = r.MacroStd, ["microF1"] = r.MicroMean, ["microF1Std"] = r.MicroStd,
                    ["nodes"] = r.LabelledNodes, ["trainNodes"] = r.TrainNodes, ["labels"] = r.Labels, ["repeats"] = options.Repeats,
                    ["trainRatio"] = options.TrainRatio, ["c"] = options.C, ["seconds"] = sw.Elapsed.TotalSeconds,
                }.ToJsonString());
            else
                w.WriteLine($"Node classification ({r.LabelledNodes:N0} labelled nodes, {r.Labels} labels, {r.TrainNodes:N0} train, {options.Repeats} repeats, C={options.C}): " +
                            $"Macro-F1 {r.MacroMean:F4} ± {r.MacroStd:F4}, Micro-F1 {r.MicroMean:F4} ± {r.MicroStd:F4} ({sw.Elapsed.TotalSeconds:F1} s)");
            return 0;
        });
        return cmd;
    }
}
