using Recsys.Training;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Recsys.Models;

/// <summary>
/// One pre-LN causal self-attention block of the GRank generator (SASRec's layout: Q = LN(x), x ← Q + MHA(Q, x, x),
/// x ← LN(x), x ← x + FFN(x)) over the history, plus <b>side tokens</b> (the query token, injected candidates): a side
/// token attends to the history keys its mask allows and to itself, and no history position attends to a side token.
/// That is the joint sequence [history, side tokens] under a block mask, computed without the T × S and S × S blocks
/// that are masked anyway, so side tokens cannot change the history states nor each other.
/// </summary>
public sealed class GRankBlock : nn.Module
{
    private readonly LayerNorm attention_norm;
    private readonly Linear query, key, value, output;
    private readonly LayerNorm feed_forward_norm;
    private readonly Linear feed_forward_1, feed_forward_2;

    internal GRankBlock(int dim, Generator g) : base("GRankBlock")
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

    /// <summary>
    /// History x [B, T, D] with mask [B, 1, T, T] (true = masked) and keep [B, T, 1]; side tokens s [B, S, D] with
    /// sideMask [B, 1, S, T] (true = history key hidden from that side token), or null. Returns the new x and s.
    /// </summary>
    internal (Tensor X, Tensor? Side) Forward(Tensor x, Tensor mask, Tensor keep, Tensor? s, Tensor? sideMask, int heads, Func<Tensor, Tensor>? drop)
    {
        long b = x.shape[0], t = x.shape[1], d = x.shape[2], dh = d / heads;
        var q = attention_norm.forward(x);
        var kh = key.forward(x).view(b, t, heads, dh).transpose(1, 2);                 // [B, H, T, dh]
        var vh = value.forward(x).view(b, t, heads, dh).transpose(1, 2);
        var qh = query.forward(q).view(b, t, heads, dh).transpose(1, 2);
        var weights = qh.matmul(kh.transpose(2, 3)).div(KeptScalars.Of(Math.Sqrt(dh)))
            .masked_fill(mask, KeptScalars.Of(double.NegativeInfinity)).softmax(-1);                   // [B, H, T, T]
        if (drop is not null) weights = drop(weights);
        var attended = weights.matmul(vh).transpose(1, 2).reshape(b, t, d);
        var xOut = FeedForward(q.Plus(output.forward(attended)), drop) * keep;
        if (s is null) return (xOut, null);

        long n = s.shape[1];
        var sq = attention_norm.forward(s);
        var sqh = query.forward(sq).view(b, n, heads, dh).transpose(1, 2);             // [B, H, S, dh]
        var skh = key.forward(s).view(b, n, heads, dh).transpose(1, 2);
        var svh = value.forward(s).view(b, n, heads, dh).transpose(1, 2);
        var toHistory = sqh.matmul(kh.transpose(2, 3)).masked_fill(sideMask!, KeptScalars.Of(double.NegativeInfinity));   // [B, H, S, T]
        var toSelf = (sqh * skh).sum(-1, keepdim: true);                               // [B, H, S, 1]
        var sw = cat([toHistory, toSelf], -1).div(KeptScalars.Of(Math.Sqrt(dh))).softmax(-1);          // [B, H, S, T + 1]
        if (drop is not null) sw = drop(sw);
        var sAttended = sw.narrow(-1, 0, t).matmul(vh).Plus(sw.narrow(-1, t, 1) * svh);     // [B, H, S, dh]
        var sOut = FeedForward(sq.Plus(output.forward(sAttended.transpose(1, 2).reshape(b, n, d))), drop);
        return (xOut, sOut);
    }

    private Tensor FeedForward(Tensor x, Func<Tensor, Tensor>? drop)
    {
        x = feed_forward_norm.forward(x);
        var h = nn.functional.relu(feed_forward_1.forward(x));
        if (drop is not null) h = drop(h);
        h = feed_forward_2.forward(h);
        if (drop is not null) h = drop(h);
        return x.Plus(h);
    }
}
