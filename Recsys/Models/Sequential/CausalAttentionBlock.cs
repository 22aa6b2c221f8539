using Recsys.Training;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Recsys.Models;

/// <summary>
/// One pre-LN causal self-attention block as in the public SASRec PyTorch port (pmixer/SASRec.pytorch), shared by
/// SASRec and the GRank generator: Q = LN(x); x ← Q + MHA(Q, x, x) with the mask and dropout on the attention weights;
/// x ← LN(x); x ← x + Dropout(W₂ Dropout(ReLU(W₁ x))); padding positions zeroed. Weights are Glorot-uniform from the
/// model's seeded generator, drawn in the order of the fields below.
/// </summary>
public class CausalAttentionBlock : nn.Module
{
    // Field names are checkpoint keys; protected so that RegisterComponents sees them from a derived block.
    protected readonly LayerNorm attention_norm;
    protected readonly Linear query, key, value, output;
    protected readonly LayerNorm feed_forward_norm;
    protected readonly Linear feed_forward_1, feed_forward_2;

    internal CausalAttentionBlock(int dim, Generator g) : this("CausalAttentionBlock", dim, g) { }

    protected CausalAttentionBlock(string name, int dim, Generator g) : base(name)
    {
        attention_norm = nn.LayerNorm(dim, eps: 1e-8);
        query = SeededLayers.GlorotLinear(dim, dim, g);
        key = SeededLayers.GlorotLinear(dim, dim, g);
        value = SeededLayers.GlorotLinear(dim, dim, g);
        output = SeededLayers.GlorotLinear(dim, dim, g);
        feed_forward_norm = nn.LayerNorm(dim, eps: 1e-8);
        feed_forward_1 = SeededLayers.GlorotLinear(dim, dim, g);
        feed_forward_2 = SeededLayers.GlorotLinear(dim, dim, g);
        RegisterComponents();
    }

    /// <summary>x [B, T, D], mask [B, 1, T, T] (true = masked), keep [B, T, 1] → [B, T, D].</summary>
    internal Tensor Forward(Tensor x, Tensor mask, Tensor keep, int heads, Func<Tensor, Tensor>? drop) =>
        Attend(x, mask, keep, heads, drop).X;

    /// <summary>
    /// The block over x, with what a derived block needs to let other tokens attend to the same history: its keys and
    /// values split into heads [B, H, T, dh].
    /// </summary>
    protected (Tensor X, Tensor Keys, Tensor Values) Attend(Tensor x, Tensor mask, Tensor keep, int heads, Func<Tensor, Tensor>? drop)
    {
        long b = x.shape[0], t = x.shape[1], d = x.shape[2];
        var q = attention_norm.forward(x);
        var kh = Heads(key.forward(x), heads);                                         // [B, H, T, dh]
        var vh = Heads(value.forward(x), heads);
        var weights = Heads(query.forward(q), heads).matmul(kh.transpose(2, 3)).div(KeptScalars.Of(Math.Sqrt(d / heads)))
            .masked_fill(mask, KeptScalars.Of(double.NegativeInfinity)).softmax(-1);                   // [B, H, T, T]
        if (drop is not null) weights = drop(weights);
        var attended = weights.matmul(vh).transpose(1, 2).reshape(b, t, d);
        return (FeedForward(q.Plus(output.forward(attended)), drop) * keep, kh, vh);
    }

    /// <summary>[B, N, D] → [B, H, N, D / H].</summary>
    protected static Tensor Heads(Tensor x, int heads) => x.view(x.shape[0], x.shape[1], heads, x.shape[2] / heads).transpose(1, 2);

    /// <summary>x ← LN(x); x + Dropout(W₂ Dropout(ReLU(W₁ x))).</summary>
    protected Tensor FeedForward(Tensor x, Func<Tensor, Tensor>? drop)
    {
        x = feed_forward_norm.forward(x);
        var h = nn.functional.relu(feed_forward_1.forward(x));
        if (drop is not null) h = drop(h);
        h = feed_forward_2.forward(h);
        if (drop is not null) h = drop(h);
        return x.Plus(h);
    }
}
