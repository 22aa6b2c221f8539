using Recsys.Training;
using static TorchSharp.torch;

namespace Recsys.Models;

/// <summary>
/// One block of the GRank generator: SASRec's pre-LN causal block (<see cref="CausalAttentionBlock"/>) over the
/// history, plus <b>side tokens</b> (the query token, injected candidates): a side token attends to the history keys
/// its mask allows and to itself, and no history position attends to a side token. That is the joint sequence
/// [history, side tokens] under a block mask, computed without the T × S and S × S blocks that are masked anyway, so
/// side tokens cannot change the history states nor each other.
/// </summary>
public sealed class GRankBlock : CausalAttentionBlock
{
    internal GRankBlock(int dim, Generator g) : base("GRankBlock", dim, g) { }

    /// <summary>
    /// History x [B, T, D] with mask [B, 1, T, T] (true = masked) and keep [B, T, 1]; side tokens s [B, S, D] with
    /// sideMask [B, 1, S, T] (true = history key hidden from that side token), or null. Returns the new x and s.
    /// </summary>
    internal (Tensor X, Tensor? Side) Forward(Tensor x, Tensor mask, Tensor keep, Tensor? s, Tensor? sideMask, int heads, Func<Tensor, Tensor>? drop)
    {
        var (xOut, kh, vh) = Attend(x, mask, keep, heads, drop);
        if (s is null) return (xOut, null);

        long b = s.shape[0], n = s.shape[1], d = s.shape[2], t = x.shape[1], dh = d / heads;
        var sq = attention_norm.forward(s);
        var sqh = Heads(query.forward(sq), heads);                                     // [B, H, S, dh]
        var skh = Heads(key.forward(s), heads);
        var svh = Heads(value.forward(s), heads);
        var toHistory = sqh.matmul(kh.transpose(2, 3)).masked_fill(sideMask!, KeptScalars.Of(double.NegativeInfinity));   // [B, H, S, T]
        var toSelf = (sqh * skh).sum(-1, keepdim: true);                               // [B, H, S, 1]
        var sw = cat([toHistory, toSelf], -1).div(KeptScalars.Of(Math.Sqrt(dh))).softmax(-1);          // [B, H, S, T + 1]
        if (drop is not null) sw = drop(sw);
        var sAttended = sw.narrow(-1, 0, t).matmul(vh).Plus(sw.narrow(-1, t, 1) * svh);     // [B, H, S, dh]
        var sOut = FeedForward(sq.Plus(output.forward(sAttended.transpose(1, 2).reshape(b, n, d))), drop);
        return (xOut, sOut);
    }
}
