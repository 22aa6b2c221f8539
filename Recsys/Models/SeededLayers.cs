using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Recsys.Models;

/// <summary>Layers initialised from a model's own seeded generator rather than torch's global one (reproducible in parallel runs).</summary>
internal static class SeededLayers
{
    /// <summary>A [rows, cols] float32 tensor, Glorot-uniform (bound √(6 / (rows + cols))) drawn from <paramref name="g"/>.</summary>
    public static Tensor Glorot(long rows, long cols, Generator g)
    {
        double bound = Math.Sqrt(6.0 / (rows + cols));
        return empty(rows, cols).uniform_(-bound, bound, g);
    }

    /// <summary>
    /// A Linear layer with Glorot-uniform weights drawn from <paramref name="g"/>; its bias is zero, or with
    /// <paramref name="glorotBias"/> Glorot-uniform over a [1, dout] matrix as the NGCF code initialises its biases
    /// (drawn after the weights).
    /// </summary>
    public static Linear GlorotLinear(int din, int dout, Generator g, bool glorotBias = false)
    {
        var l = nn.Linear(din, dout);
        using (no_grad())
        {
            double b = Math.Sqrt(6.0 / (din + dout));
            l.weight.uniform_(-b, b, g);
            if (glorotBias)
            {
                double bb = Math.Sqrt(6.0 / (1 + dout));
                l.bias!.uniform_(-bb, bb, g);
            }
            else l.bias!.zero_();
        }
        return l;
    }
}
