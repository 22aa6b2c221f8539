using System.Globalization;
using System.Text;
using Recsys.Catalog;
using Recsys.IO;
using Recsys.Training;

namespace Recsys.Eval.Reports;

/// <summary>
/// Summarises training runs (their run.json): a markdown table (model, status, epochs, seconds per epoch, best
/// epoch and its metrics) and PNG training curves — loss vs epoch and the primary metric vs epoch, every run
/// overlaid (<see cref="TrainingCurves"/>).
/// </summary>
public static class TrainingReport
{
    /// <summary>One run folder's record with a display name (the folder name).</summary>
    public sealed record Run(string Name, RunRecord Record);

    public static Run Load(string runFolder, RecsysCatalog catalog) =>
        new(Path.GetFileName(Path.GetFullPath(runFolder).TrimEnd(Path.DirectorySeparatorChar)), new RunFolder(runFolder).ReadRecord(catalog));

    /// <summary>The markdown table; metric columns are the union of the runs' metric keys, sorted.</summary>
    public static string Markdown(IReadOnlyList<Run> runs)
    {
        var keys = runs.SelectMany(r => r.Record.Evaluations.SelectMany(e => e.Metrics.Keys)).Distinct().Order(StringComparer.Ordinal).ToList();
        var sb = new StringBuilder();
        sb.Append("| run | model | status | epochs | s/epoch | split | best epoch |");
        foreach (var k in keys) sb.Append(' ').Append(k).Append(" |");
        sb.AppendLine().Append("|---|---|---|---:|---:|---|---:|");
        foreach (var _ in keys) sb.Append("---:|");
        sb.AppendLine();
        foreach (var (name, r) in runs)
        {
            double secs = r.Epochs.Count == 0 ? 0 : r.Epochs.Average(e => e.Seconds);
            var best = r.Evaluations.FirstOrDefault(e => e.Epoch == r.BestEpoch)?.Metrics;
            sb.Append(CultureInfo.InvariantCulture, $"| {name} | {r.Model.Kind} | {r.Status} | {r.Epochs.Count} | {secs:F1} | {r.EvaluatedSplit ?? "-"} | {(best is null ? "-" : r.BestEpoch.ToString(CultureInfo.InvariantCulture))} |");
            foreach (var k in keys)
                sb.Append(best is not null && best.TryGetValue(k, out var v) ? string.Create(CultureInfo.InvariantCulture, $" {v:F4} |") : " - |");
            sb.AppendLine();
        }
        return sb.ToString();
    }

    /// <summary>
    /// Writes <c>report.md</c>, <c>loss.png</c> and, when any run was evaluated, <c>&lt;metric&gt;.png</c> (e.g.
    /// <c>recall_at_20.png</c>) into <paramref name="outDir"/>; returns the written paths.
    /// </summary>
    public static IReadOnlyList<string> Write(IReadOnlyList<Run> runs, string outDir)
    {
        Directory.CreateDirectory(outDir);
        var written = new List<string>();
        var md = Path.Combine(outDir, "report.md");
        var text = new StringBuilder("# Training runs\n\n").Append(Markdown(runs));
        var loss = Path.Combine(outDir, "loss.png");
        TrainingCurves.Loss(runs, loss);
        written.Add(loss);
        text.Append("\n![loss](loss.png)\n");
        var metric = runs.Select(r => r.Record.PrimaryMetric).FirstOrDefault(m => m is not null);
        if (metric is not null && runs.Any(r => r.Record.Evaluations.Count > 0))
        {
            var file = metric.Replace("@", "_at_") + ".png";
            TrainingCurves.Metric(runs, metric, Path.Combine(outDir, file));
            written.Add(Path.Combine(outDir, file));
            text.Append(CultureInfo.InvariantCulture, $"\n![{metric}]({file})\n");
        }
        AtomicFile.WriteAllText(md, text.ToString());
        written.Insert(0, md);
        return written;
    }
}
