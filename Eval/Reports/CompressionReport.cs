using Recsys.Catalog;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Recsys.IO;

namespace Recsys.Eval.Reports;

/// <summary>
/// Compression versus quality over training runs that differ in their embedding tables (GraphHash, Wu et al.,
/// WWW 2025, Table 2 / Figure 3): per backbone model, one row per run with its table rows, how many fewer rows than
/// full tables, Recall@K and NDCG@K at the kept epoch, the ratio to the model's full-table run and to the best
/// hashing baseline (random, double, frequency, LSH) given the same row budget; and one PNG per backbone
/// (<see cref="CompressionPlot"/>).
/// </summary>
public static class CompressionReport
{
    /// <summary>Table methods in display order.</summary>
    public static readonly IReadOnlyList<string> Methods = ["full", "graphhash", "double-graphhash", "random", "double", "frequency", "lsh"];

    /// <summary>The hashing baselines GraphHash is compared with.</summary>
    public static readonly IReadOnlySet<string> Baselines = new HashSet<string> { "random", "double", "frequency", "lsh" };

    private static readonly string[] ModelOrder = ["mf", "lightgcn", "ngcf", "kgat"];

    /// <summary>One report line: the run and its ratios (null where there is nothing to compare with).</summary>
    /// <param name="Entry">The run.</param>
    /// <param name="RecallVsFull">Recall / Recall of the same model's full-table run (the best one when there are several).</param>
    /// <param name="RecallVsBaseline">Recall / the best baseline Recall of the same model and budget.</param>
    /// <param name="NdcgVsBaseline">NDCG / the best baseline NDCG of the same model and budget.</param>
    /// <param name="BestBaseline">Method of the baseline with the best Recall at that budget.</param>
    public sealed record Line(CompressionEntry Entry, double? RecallVsFull, double? RecallVsBaseline, double? NdcgVsBaseline, string? BestBaseline);

    /// <summary>Loads every run folder and builds the lines with metrics at cut-off <paramref name="k"/>.</summary>
    public static IReadOnlyList<Line> Load(IEnumerable<string> runFolders, RecsysCatalog catalog, int k = 20) =>
        Build(runFolders.Select(f => CompressionEntry.From(TrainingReport.Load(f, catalog), catalog, k)).ToList());

    /// <summary>Sorts the entries (model, then budget from largest, then method) and computes their ratios.</summary>
    public static IReadOnlyList<Line> Build(IReadOnlyList<CompressionEntry> entries)
    {
        var lines = new List<Line>();
        foreach (var e in entries.OrderBy(e => Rank(ModelOrder, e.Model)).ThenBy(e => e.Model, StringComparer.Ordinal)
                                 .ThenByDescending(e => e.Budget ?? -1).ThenBy(e => Rank(Methods, e.Method)).ThenBy(e => e.Run, StringComparer.Ordinal))
        {
            var full = entries.Where(f => f.Model == e.Model && f.Method == "full" && f.Recall is not null).MaxBy(f => f.Recall);
            var peers = e.Budget is null ? [] : entries.Where(b => b.Model == e.Model && b.Budget == e.Budget && Baselines.Contains(b.Method)).ToList();
            var bestRecall = peers.Where(b => b.Recall is not null).MaxBy(b => b.Recall);
            var bestNdcg = peers.Where(b => b.Ndcg is not null).MaxBy(b => b.Ndcg);
            bool compressed = e.Method != "full";
            lines.Add(new Line(e,
                compressed ? Ratio(e.Recall, full?.Recall) : null,
                compressed ? Ratio(e.Recall, bestRecall?.Recall) : null,
                compressed ? Ratio(e.Ndcg, bestNdcg?.Ndcg) : null,
                compressed ? bestRecall?.Method : null));
        }
        return lines;
    }

    private static int Rank(IReadOnlyList<string> order, string s)
    {
        int i = order.ToList().IndexOf(s);
        return i < 0 ? order.Count : i;
    }

    private static double? Ratio(double? a, double? b) => a is { } x && b is { } y && y > 0 ? x / y : null;

    /// <summary>The markdown table (metric columns named for cut-off <paramref name="k"/>).</summary>
    public static string Markdown(IReadOnlyList<Line> lines, int k = 20)
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture,
            $"| model | method | rows (users + items) | fewer rows | Recall@{k} | NDCG@{k} | Recall vs full | Recall vs best baseline | NDCG vs best baseline | best baseline | run |\n");
        sb.Append("|---|---|---:|---:|---:|---:|---:|---:|---:|---|---|\n");
        foreach (var l in lines)
        {
            var e = l.Entry;
            string split = e.Split is null or "test" ? "" : $" ({e.Split})";
            sb.Append(CultureInfo.InvariantCulture,
                $"| {e.Model} | {e.Method} | {Count(e.Rows)} | {Percent(e.Reduction)} | {Num(e.Recall)}{split} | {Num(e.Ndcg)}{split} | {Times(l.RecallVsFull)} | {Times(l.RecallVsBaseline)} | {Times(l.NdcgVsBaseline)} | {l.BestBaseline ?? "-"} | {e.Run} |\n");
        }
        return sb.ToString();
    }

    private static string Count(int? n) => n is { } v ? v.ToString("N0", CultureInfo.InvariantCulture) : "?";
    private static string Percent(double? f) => f is { } v ? (100 * v).ToString("F1", CultureInfo.InvariantCulture) + "%" : "?";
    private static string Num(double? v) => v is { } x ? x.ToString("F4", CultureInfo.InvariantCulture) : "-";
    private static string Times(double? v) => v is { } x ? x.ToString("F2", CultureInfo.InvariantCulture) + "×" : "-";

    /// <summary>The lines as one JSON object (<c>{"k": 20, "runs": [...]}</c>), for <c>--json</c>.</summary>
    public static JsonObject ToJson(IReadOnlyList<Line> lines, int k = 20)
    {
        var runs = new JsonArray();
        foreach (var l in lines)
        {
            var e = l.Entry;
            runs.Add(new JsonObject
            {
                ["run"] = e.Run, ["model"] = e.Model, ["method"] = e.Method, ["rows"] = e.Rows, ["fullRows"] = e.FullRows,
                ["budget"] = e.Budget, ["reduction"] = e.Reduction, ["split"] = e.Split, ["epoch"] = e.Epoch,
                [$"recall@{k}"] = e.Recall, [$"ndcg@{k}"] = e.Ndcg, ["recallVsFull"] = l.RecallVsFull,
                ["recallVsBestBaseline"] = l.RecallVsBaseline, ["ndcgVsBestBaseline"] = l.NdcgVsBaseline, ["bestBaseline"] = l.BestBaseline,
            });
        }
        return new JsonObject { ["k"] = k, ["runs"] = runs };
    }

    /// <summary>
    /// Writes <c>compression.md</c> (the table and the plots) and <c>compression_&lt;model&gt;.png</c> per backbone into
    /// <paramref name="outDir"/>, every file atomically; returns the written paths, markdown first.
    /// </summary>
    public static IReadOnlyList<string> Write(IReadOnlyList<Line> lines, string outDir, int k = 20)
    {
        Directory.CreateDirectory(outDir);
        var written = new List<string>();
        var text = new StringBuilder("# Compression versus quality\n\n");
        text.Append(CultureInfo.InvariantCulture,
            $"Metrics at each run's kept epoch (on test unless marked). \"Best baseline\": the best of {string.Join(", ", Baselines.Order(StringComparer.Ordinal))} ")
            .Append("hashing for the same model and row budget (a baseline's budget is its requested rows per side; LSH builds 2^⌊log₂B⌋ of them).\n\n")
            .Append(Markdown(lines, k));
        foreach (var model in lines.Select(l => l.Entry.Model).Distinct())
        {
            var group = lines.Where(l => l.Entry.Model == model).Select(l => l.Entry).ToList();
            if (!group.Any(e => e.Recall is not null && (e.Rows is not null || e.Method == "full"))) continue;
            var file = $"compression_{model}.png";
            CompressionPlot.Write(model, group, k, Path.Combine(outDir, file));
            written.Add(Path.Combine(outDir, file));
            text.Append(CultureInfo.InvariantCulture, $"\n![{model}]({file})\n");
        }
        var md = Path.Combine(outDir, "compression.md");
        AtomicFile.WriteAllText(md, text.ToString());
        written.Insert(0, md);
        return written;
    }
}
