using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Recsys.Models;

/// <summary>One tower's MLP: <c>layers</c> Linear maps Dim → Dim (Glorot-uniform, zero bias) with ReLU between them and none after the last.</summary>
public sealed class TowerMlp : nn.Module<Tensor, Tensor>
{
    // Field names are checkpoint keys.
    private readonly ModuleList<Linear> linears;

    internal TowerMlp(int dim, int layers, Generator g) : base("TowerMlp")
    {
        linears = nn.ModuleList(Enumerable.Range(0, layers).Select(_ => SeededLayers.GlorotLinear(dim, dim, g)).ToArray());
        RegisterComponents();
    }

    /// <summary>[B, Dim] → [B, Dim].</summary>
    public override Tensor forward(Tensor x)
    {
        for (int k = 0; k < linears.Count; k++)
        {
            x = linears[k].forward(x);
            if (k < linears.Count - 1) x = nn.functional.relu(x);
        }
        return x;
    }
}
