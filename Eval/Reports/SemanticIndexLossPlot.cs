using Recsys.Embeddings.SemanticIds;
using ScottPlot;

namespace Recsys.Eval.Reports;

/// <summary>PNG of an RQ-VAE's training losses per epoch: total, reconstruction and quantisation (log scale).</summary>
public static class SemanticIndexLossPlot
{
    public static void Write(IReadOnlyList<EpochLoss> losses, string title, string png)
    {
        ArgumentNullException.ThrowIfNull(losses);
        var plt = new Plot();
        var epochs = losses.Select(l => (double)l.Epoch).ToArray();
        foreach (var (name, values) in new[]
                 {
                     ("total", losses.Select(l => l.Total)), ("reconstruction", losses.Select(l => l.Reconstruction)),
                     ("quantisation", losses.Select(l => l.Quantization)),
                 })
        {
            var s = plt.Add.Scatter(epochs, values.Select(v => Math.Log10(Math.Max(v, 1e-12))).ToArray());
            s.LegendText = name;
            s.MarkerSize = losses.Count > 50 ? 0 : 5;
        }
        plt.Title(title);
        plt.XLabel("epoch");
        plt.YLabel("log10 loss");
        plt.ShowLegend(Alignment.UpperRight);
        var tmp = png + ".tmp.png";
        plt.SavePng(tmp, 800, 500);
        File.Move(tmp, png, overwrite: true);
    }
}
