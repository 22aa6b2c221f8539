using Recsys.Training;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Recsys.Models;

/// <summary>TIGER's feed-forward block: W₂ Dropout(ReLU(W₁ x)).</summary>
public sealed class TigerFeedForward : nn.Module
{
    private readonly Linear feed_forward_1, feed_forward_2;

    internal TigerFeedForward(int dim, int hidden, Generator g) : base("TigerFeedForward")
    {
        feed_forward_1 = SeededLayers.GlorotLinear(dim, hidden, g);
        feed_forward_2 = SeededLayers.GlorotLinear(hidden, dim, g);
        RegisterComponents();
    }

    internal Tensor Forward(Tensor x, Func<Tensor, Tensor>? drop)
    {
        var h = nn.functional.relu(feed_forward_1.forward(x));
        if (drop is not null) h = drop(h);
        return feed_forward_2.forward(h);
    }
}

/// <summary>One pre-norm encoder layer: x ← x + Drop(SelfAttention(LN x)); x ← x + Drop(FF(LN x)).</summary>
public sealed class TigerEncoderLayer : nn.Module
{
    private readonly LayerNorm attention_norm, feed_forward_norm;
    private readonly TigerAttention attention;
    private readonly TigerFeedForward feed_forward;

    internal TigerEncoderLayer(TigerOptions o, Generator g) : base("TigerEncoderLayer")
    {
        attention_norm = nn.LayerNorm(o.Dim);
        attention = new TigerAttention(o.Dim, o.AttentionHeads, o.HeadDim, g);
        feed_forward_norm = nn.LayerNorm(o.Dim);
        feed_forward = new TigerFeedForward(o.Dim, o.FeedForward, g);
        RegisterComponents();
    }

    /// <summary>x [B, S, D]; <paramref name="padding"/> [B, 1, 1, S] (true = padding key).</summary>
    internal Tensor Forward(Tensor x, Tensor padding, Func<Tensor, Tensor>? drop)
    {
        var n = attention_norm.forward(x);
        var (k, v) = attention.Keys(n);
        var a = attention.Forward(n, k, v, padding);
        x = x.Plus(drop is null ? a : drop(a));
        var f = feed_forward.Forward(feed_forward_norm.forward(x), drop);
        return x.Plus(drop is null ? f : drop(f));
    }
}

/// <summary>
/// One pre-norm decoder layer: causal self-attention, cross-attention to the encoded history, feed-forward, each
/// x ← x + Drop(sublayer(LN x)). Rows come in groups of G sequences per history (beams): x is [B·G, T, D] and the
/// history's keys [B, H, S, dh], so the cross-attention of a group reads its history once.
/// </summary>
public sealed class TigerDecoderLayer : nn.Module
{
    private readonly LayerNorm self_norm, cross_norm, feed_forward_norm;
    private readonly TigerAttention self_attention, cross_attention;
    private readonly TigerFeedForward feed_forward;

    internal TigerDecoderLayer(TigerOptions o, Generator g) : base("TigerDecoderLayer")
    {
        self_norm = nn.LayerNorm(o.Dim);
        self_attention = new TigerAttention(o.Dim, o.AttentionHeads, o.HeadDim, g);
        cross_norm = nn.LayerNorm(o.Dim);
        cross_attention = new TigerAttention(o.Dim, o.AttentionHeads, o.HeadDim, g);
        feed_forward_norm = nn.LayerNorm(o.Dim);
        feed_forward = new TigerFeedForward(o.Dim, o.FeedForward, g);
        RegisterComponents();
    }

    /// <summary>Projects the encoded history [B, S, D] into this layer's cross-attention keys and values.</summary>
    internal (Tensor K, Tensor V) CrossKeys(Tensor memory) => cross_attention.Keys(memory);

    /// <summary>
    /// x [B·G, T, D]; <paramref name="causal"/> [T, T] (true = a later position); cross keys/values [B, H, S, dh];
    /// <paramref name="padding"/> [B, 1, 1, S].
    /// </summary>
    internal Tensor Forward(Tensor x, Tensor causal, (Tensor K, Tensor V) cross, Tensor padding, Func<Tensor, Tensor>? drop)
    {
        long bg = x.shape[0], t = x.shape[1], d = x.shape[2], b = cross.K.shape[0], groups = bg / b;
        var n = self_norm.forward(x);
        var (k, v) = self_attention.Keys(n);
        var a = self_attention.Forward(n, k, v, causal);
        x = x.Plus(drop is null ? a : drop(a));
        // A group's G × T queries attend to their history together: [B, G·T, D] against [B, H, S, dh].
        var c = cross_attention.Forward(cross_norm.forward(x).reshape(b, groups * t, d), cross.K, cross.V, padding).reshape(bg, t, d);
        x = x.Plus(drop is null ? c : drop(c));
        var f = feed_forward.Forward(feed_forward_norm.forward(x), drop);
        return x.Plus(drop is null ? f : drop(f));
    }

    /// <summary>
    /// One decoding step (eval mode) of the newest position only, x [B·G, 1, D]: its self-attention reads the
    /// earlier positions' keys and values from <paramref name="cache"/> (continuing rows <paramref name="parents"/>)
    /// and appends its own; no mask is needed, every cached position is earlier. The same arithmetic as
    /// <see cref="Forward"/> at the last position.
    /// </summary>
    internal Tensor Step(Tensor x, TigerDecoderCache cache, int layer, Tensor? parents, (Tensor K, Tensor V) cross, Tensor padding)
    {
        long bg = x.shape[0], d = x.shape[2], b = cross.K.shape[0], groups = bg / b;
        var n = self_norm.forward(x);
        var (newK, newV) = self_attention.Keys(n);
        var (k, v) = cache.Append(layer, newK, newV, parents);
        x = x.Plus(self_attention.Forward(n, k, v, null));
        x = x.Plus(cross_attention.Forward(cross_norm.forward(x).reshape(b, groups, d), cross.K, cross.V, padding).reshape(bg, 1, d));
        return x.Plus(feed_forward.Forward(feed_forward_norm.forward(x), null));
    }
}
