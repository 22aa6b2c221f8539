using Recsys.IO;
using ScottPlot;

namespace Recsys.Eval.Reports;

/// <summary>
/// PNG of one backbone's compression curve with ScottPlot 5: x = % fewer table rows than full tables, y = Recall@K,
/// one line with markers per table method (points sorted by compression), the full-table run as a dashed
/// horizontal reference line.
/// </summary>
public static class CompressionPlot
{
    /// <summary>Plots <paramref name="entries"/> (one model's runs) into <paramref name="png"/> (800×500), written atomically.</summary>
    public static void Write(string model, IReadOnlyList<CompressionEntry> entries, int k, string png)
    {
        var plt = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        var methods = CompressionReport.Methods.Concat(entries.Select(e => e.Method)).Distinct().ToList();
        double top = 0, left = 100;
        foreach (var method in methods)
        {
            if (method == "full") continue;
            var points = entries.Where(e => e.Method == method && e.Reduction is not null && e.Recall is not null)
                                .OrderBy(e => e.Reduction).ToList();
            if (points.Count == 0) continue;
            var s = plt.Add.Scatter(points.Select(e => 100 * e.Reduction!.Value).ToArray(), points.Select(e => e.Recall!.Value).ToArray());
            s.LegendText = method;
            s.Color = palette.GetColor(methods.IndexOf(method)); // one colour per method in every backbone's plot
            s.MarkerSize = 7;
            s.LineWidth = 2;
            top = Math.Max(top, points.Max(e => e.Recall!.Value));
            left = Math.Min(left, 100 * points[0].Reduction!.Value);
        }
        if (entries.Where(e => e.Method == "full" && e.Recall is not null).MaxBy(e => e.Recall) is { } full)
        {
            var line = plt.Add.HorizontalLine(full.Recall!.Value);
            line.LegendText = "full";
            line.LinePattern = LinePattern.Dashed;
            line.Color = Colors.Black;
            top = Math.Max(top, full.Recall!.Value);
        }
        plt.Title($"{model}: Recall@{k} vs table compression");
        plt.XLabel("% fewer embedding rows than full tables");
        plt.YLabel($"Recall@{k}");
        // Compressed runs sit far right (75–95% fewer rows); start the axis a step left of the first point.
        plt.Axes.SetLimitsX(Math.Max(0, Math.Floor(left / 10) * 10 - 10), 100);
        plt.Axes.SetLimitsY(0, top > 0 ? top * 1.1 : 1);
        plt.ShowLegend(Edge.Right);
        var bytes = plt.GetImageBytes(800, 500, ImageFormat.Png);
        AtomicFile.Write(png, s => s.Write(bytes));
    }
}
