using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Recsys.Models;

/// <summary>Layers initialised from a model's own seeded generator rather than torch's global one (reproducible in parallel runs).</summary>
internal static class SeededLayers
{
    /// <summary>A Linear layer with Glorot-uniform weights drawn from <paramref name="g"/> and zero bias.</summary>
    public static Linear GlorotLinear(int din, int dout, Generator g)
    {
        var l = nn.Linear(din, dout);
        using (no_grad())
        {
            double b = Math.Sqrt(6.0 / (din + dout));
            l.weight.uniform_(-b, b, g);
            l.bias!.zero_();
        }
        return l;
    }
}
