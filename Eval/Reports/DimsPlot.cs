using Recsys.Embeddings.Dnis;
using Recsys.IO;
using ScottPlot;

namespace Recsys.Eval.Reports;

/// <summary>
/// PNG of what a DNIS search kept (ScottPlot 5): kept width per frequency block (block 1 = most frequent ids), one
/// bar group per searched table (users, items), the unpruned width as a dashed reference line.
/// </summary>
public static class DimsPlot
{
    /// <summary>Plots <paramref name="record"/> into <paramref name="png"/> (800×500), written atomically.</summary>
    public static void Write(DnisRecord record, string png)
    {
        var plt = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        int sides = record.Tables.Count, dim = record.Tables.Max(t => t.Dim);
        double barWidth = 0.8 / sides;
        for (int s = 0; s < sides; s++)
        {
            var t = record.Tables[s];
            var bars = t.Widths.Select((w, b) => new Bar
            {
                Position = b + 1 - 0.4 + barWidth * (s + 0.5), Value = w, Size = barWidth * 0.95, FillColor = palette.GetColor(s),
            }).ToList();
            plt.Add.Bars(bars);
            plt.Legend.ManualItems.Add(new LegendItem { LabelText = $"{t.Side} ({100.0 * t.KeptParameters / t.FullParameters:F1}% of full)", FillColor = palette.GetColor(s) });
        }
        var line = plt.Add.HorizontalLine(dim);
        line.LinePattern = LinePattern.Dashed;
        line.Color = Colors.Black;
        plt.Title("DNIS: kept width per frequency block");
        plt.XLabel("frequency block (1 = most frequent ids)");
        plt.YLabel("kept width");
        plt.Axes.SetLimitsY(0, dim * 1.1);
        plt.ShowLegend(Edge.Right);
        var bytes = plt.GetImageBytes(800, 500, ImageFormat.Png);
        AtomicFile.Write(png, st => st.Write(bytes));
    }
}
