using ScottPlot;

namespace Recsys.Eval.Reports;

/// <summary>PNG training curves with ScottPlot 5: one line per run.</summary>
public static class TrainingCurves
{
    /// <summary>Mean training loss vs epoch.</summary>
    public static void Loss(IReadOnlyList<TrainingReport.Run> runs, string png)
    {
        var plt = new Plot();
        foreach (var (name, r) in runs)
        {
            if (r.Epochs.Count == 0) continue;
            var s = plt.Add.Scatter(r.Epochs.Select(e => (double)e.Epoch).ToArray(), r.Epochs.Select(e => e.Loss).ToArray());
            s.LegendText = name;
            s.MarkerSize = r.Epochs.Count > 50 ? 0 : 5;
        }
        Finish(plt, "training loss", "loss", png, Alignment.UpperRight);
    }

    /// <summary><paramref name="metric"/> (e.g. "recall@20") at each evaluation vs epoch.</summary>
    public static void Metric(IReadOnlyList<TrainingReport.Run> runs, string metric, string png)
    {
        var plt = new Plot();
        foreach (var (name, r) in runs)
        {
            var ev = r.Evaluations.Where(e => e.Metrics.ContainsKey(metric)).ToList();
            if (ev.Count == 0) continue;
            var s = plt.Add.Scatter(ev.Select(e => (double)e.Epoch).ToArray(), ev.Select(e => e.Metrics[metric]).ToArray());
            s.LegendText = $"{name} ({r.EvaluatedSplit})";
            s.MarkerSize = 5;
        }
        // Metrics rise and flatten along the top: the legend goes where the curve is not.
        Finish(plt, metric + " during training", metric, png, Alignment.LowerRight);
    }

    private static void Finish(Plot plt, string title, string yLabel, string png, Alignment legend)
    {
        plt.Title(title);
        plt.XLabel("epoch");
        plt.YLabel(yLabel);
        plt.ShowLegend(legend);
        var tmp = png + ".tmp.png";
        plt.SavePng(tmp, 800, 500);
        File.Move(tmp, png, overwrite: true);
    }
}
