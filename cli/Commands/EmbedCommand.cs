using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Recsys.Data;
using Recsys.Embeddings;
using Recsys.Embeddings.FastRp;
using Recsys.Graphs;
using Recsys.IO;

namespace Recsys.Cli.Commands;

/// <summary><c>recsys embed fastrp</c>: FastRP node embeddings of a dataset's user-item graph or of an edge-list file.</summary>
public static class EmbedCommand
{
    public static Command Create()
    {
        var cmd = new Command("embed", "Compute graph embeddings without training.");
        cmd.Subcommands.Add(FastRp());
        return cmd;
    }

    private static Command FastRp()
    {
        var defaults = new FastRpOptions();
        var data = new Option<string?>("--data") { Description = "Dataset folder: embeds the user-item training graph (rows: users, then items)." };
        var kg = new Option<bool>("--kg") { Description = "With --data: embed the collaborative knowledge graph instead (rows: items, the KG's other entities, then users; untyped edges)." };
        var edges = new Option<string?>("--edges") { Description = "Edge-list CSV of two id columns (integers or strings), header optional." };
        var dim = new Option<int>("--dim") { Description = "Embedding dimension.", DefaultValueFactory = _ => defaults.Dim };
        var weights = new Option<string>("--weights") { Description = "Comma-separated weights α1..αq of the powers A^1..A^q.", DefaultValueFactory = _ => string.Join(',', defaults.Weights.Select(w => w.ToString(CultureInfo.InvariantCulture))) };
        var beta = new Option<float>("--beta") { Description = "Degree normalisation strength β (0 = off).", DefaultValueFactory = _ => defaults.Beta };
        var sparsity = new Option<double?>("--sparsity") { Description = "Projection sparsity s (default √n)." };
        var noNormalize = new Option<bool>("--no-normalize") { Description = "Skip the per-power L2 row normalisation." };
        var noStandardize = new Option<bool>("--no-standardize") { Description = "Skip the final column standardisation." };
        var seed = new Option<int>("--seed") { Description = "Seed of the random projection.", DefaultValueFactory = _ => defaults.Seed };
        var output = new Option<string>("--out") { Description = "Output file (.arrow or .npy; .npy writes ids beside it as NAME.ids.npy).", Required = true };
        var force = new Option<bool>("--force") { Description = "Replace an existing --out file (and its ids file)." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object." };
        var cmd = new Command("fastrp", "FastRP embeddings (Chen et al., CIKM 2019).");
        foreach (var o in new Option[] { data, kg, edges, dim, weights, beta, sparsity, noNormalize, noStandardize, seed, output, force, json }) cmd.Options.Add(o);
        cmd.SetAction(pr =>
        {
            string? dataDir = pr.GetValue(data), edgeFile = pr.GetValue(edges);
            if ((dataDir is null) == (edgeFile is null)) throw new ArgumentException("give exactly one of --data DIR or --edges FILE.");
            if (pr.GetValue(kg) && dataDir is null) throw new ArgumentException("--kg embeds a dataset's collaborative knowledge graph: use it with --data DIR.");
            var options = new FastRpOptions
            {
                Dim = pr.GetValue(dim),
                Weights = ParseWeights(pr.GetValue(weights)!),
                Beta = pr.GetValue(beta),
                Sparsity = pr.GetValue(sparsity),
                NormalizePowers = !pr.GetValue(noNormalize),
                Standardize = !pr.GetValue(noStandardize),
                Seed = pr.GetValue(seed),
            };
            options.Validate();
            var outPath = pr.GetValue(output)!;
            var inputs = new (string, string?)[] { ("--data", dataDir), ("--edges", edgeFile) };
            OutputGuard.CheckFile("--out", outPath, pr.GetValue(force), inputs);
            if (Path.GetExtension(outPath).Equals(".npy", StringComparison.OrdinalIgnoreCase))
                foreach (var idsExt in new[] { ".npy", ".txt" })
                    OutputGuard.CheckFile("--out's ids file", EmbeddingFile.IdsPath(outPath, idsExt), pr.GetValue(force), inputs);
            var load = Stopwatch.StartNew();
            var graph = dataDir is not null ? EmbeddingGraph.Of(DatasetFolder.Read(dataDir), pr.GetValue(kg)) : EmbeddingGraph.Read(edgeFile!);
            var (adjacency, ids, raw) = (graph.Adjacency, graph.Ids, graph.RawIds);
            load.Stop();
            var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
            var sw = Stopwatch.StartNew();
            var vectors = FastRpEmbedder.Embed(adjacency, options);
            sw.Stop();
            double cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds;
            EmbeddingFile.WriteLabelled(outPath, new LabelledEmbeddings(vectors, options.Dim, ids, raw));
            var w = pr.InvocationConfiguration.Output;
            if (pr.GetValue(json))
                w.WriteLine(new JsonObject
                {
                    ["nodes"] = adjacency.Rows, ["nonzeros"] = adjacency.NonZeros, ["dim"] = options.Dim,
                    ["loadSeconds"] = load.Elapsed.TotalSeconds, ["embedSeconds"] = sw.Elapsed.TotalSeconds, ["embedCpuSeconds"] = cpu, ["out"] = outPath,
                }.ToJsonString());
            else
                w.WriteLine($"FastRP: {adjacency.Rows:N0} nodes, {adjacency.NonZeros:N0} adjacency non-zeros, dim {options.Dim}; " +
                            $"load {load.Elapsed.TotalSeconds:F3} s, embedding {sw.Elapsed.TotalSeconds:F3} s (cpu {cpu:F3} s) → {outPath}");
            return 0;
        });
        return cmd;
    }

    internal static float[] ParseWeights(string text)
    {
        var parts = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var r = new float[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!float.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out r[i]))
                throw new ArgumentException($"--weights: '{parts[i]}' is not a number.");
        return r;
    }
}
