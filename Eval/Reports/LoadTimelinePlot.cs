using Recsys.IO;
using ScottPlot;

namespace Recsys.Eval.Reports;

/// <summary>One service's per-second load timeline: requests completed and their P99 latency (ms) in each second.</summary>
public sealed record LoadTimeline(string Label, double[] Seconds, double[] RequestsPerSecond, double[] P99Ms, double[] SwapsAt);

/// <summary>
/// PNG of load runs with ScottPlot 5: throughput per second (solid, left axis) and P99 per second (dashed, right axis)
/// for each service, hot swaps as dotted vertical lines.
/// </summary>
public static class LoadTimelinePlot
{
    public static void Write(IReadOnlyList<LoadTimeline> runs, string title, string png)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var plt = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        var right = plt.Axes.Right;
        for (int i = 0; i < runs.Count; i++)
        {
            var r = runs[i];
            var qps = plt.Add.Scatter(r.Seconds, r.RequestsPerSecond);
            qps.LegendText = $"{r.Label} req/s";
            qps.Color = palette.GetColor(i);
            qps.MarkerSize = 0;
            qps.LineWidth = 2;
            var p99 = plt.Add.Scatter(r.Seconds, r.P99Ms);
            p99.LegendText = $"{r.Label} P99 ms";
            p99.Color = palette.GetColor(i);
            p99.MarkerSize = 0;
            p99.LinePattern = LinePattern.Dashed;
            p99.Axes.YAxis = right;
            foreach (var at in r.SwapsAt)
            {
                var v = plt.Add.VerticalLine(at);
                v.Color = palette.GetColor(i).WithAlpha(0.5);
                v.LinePattern = LinePattern.Dotted;
            }
        }
        plt.Title(title);
        plt.XLabel("seconds into the measured run");
        plt.YLabel("requests completed per second");
        right.Label.Text = "P99 latency per second (ms)";
        plt.Axes.SetLimitsY(0, Math.Max(1, runs.SelectMany(r => r.RequestsPerSecond).DefaultIfEmpty(1).Max() * 1.15));
        plt.Axes.SetLimitsY(0, Math.Max(1, runs.SelectMany(r => r.P99Ms).DefaultIfEmpty(1).Max() * 1.3), right);
        plt.ShowLegend(Edge.Bottom);
        var bytes = plt.GetImageBytes(900, 520, ImageFormat.Png);
        AtomicFile.Write(png, s => s.Write(bytes));
    }
}
