using Recsys.Training;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Recsys.Models;

/// <summary>
/// Multi-head attention with an inner width of heads × headDim (independent of the model width, as in T5/TIGER):
/// queries, keys and values projected from the model width, scaled dot products, softmax over unmasked keys, the
/// heads concatenated and projected back. Keys and values can be projected once (<see cref="Keys"/>) and reused, so a
/// beam search attends to an encoded history without copying it per beam.
/// </summary>
public sealed class TigerAttention : nn.Module
{
    private readonly int _heads, _headDim;
    // Field names are checkpoint keys.
    private readonly Linear query, key, value, output;

    internal TigerAttention(int dim, int heads, int headDim, Generator g) : base("TigerAttention")
    {
        _heads = heads; _headDim = headDim;
        query = SeededLayers.GlorotLinear(dim, heads * headDim, g);
        key = SeededLayers.GlorotLinear(dim, heads * headDim, g);
        value = SeededLayers.GlorotLinear(dim, heads * headDim, g);
        output = SeededLayers.GlorotLinear(heads * headDim, dim, g);
        RegisterComponents();
    }

    /// <summary>Keys and values [B, H, S, headDim] of <paramref name="x"/> [B, S, D].</summary>
    public (Tensor K, Tensor V) Keys(Tensor x)
    {
        long b = x.shape[0], s = x.shape[1];
        return (key.forward(x).view(b, s, _heads, _headDim).transpose(1, 2),
                value.forward(x).view(b, s, _heads, _headDim).transpose(1, 2));
    }

    /// <summary>
    /// x [B, T, D] attending to keys/values [B, H, S, headDim] → [B, T, D]; <paramref name="mask"/> (bool, true =
    /// masked) broadcasts to [B, H, T, S].
    /// </summary>
    public Tensor Forward(Tensor x, Tensor k, Tensor v, Tensor? mask)
    {
        long b = x.shape[0], t = x.shape[1];
        var q = query.forward(x).view(b, t, _heads, _headDim).transpose(1, 2);          // [B, H, T, dh]
        var w = q.matmul(k.transpose(2, 3)).div(KeptScalars.Of(Math.Sqrt(_headDim)));                   // [B, H, T, S]
        if (mask is not null) w = w.masked_fill(mask, KeptScalars.Of(double.NegativeInfinity));
        var attended = w.softmax(-1).matmul(v).transpose(1, 2).reshape(b, t, _heads * _headDim);
        return output.forward(attended);
    }
}
