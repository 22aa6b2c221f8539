using static TorchSharp.torch;

namespace Recsys.Models;

/// <summary>
/// One mini-batch of BPR triples: B users, B positives and B × K negatives (pair-major), both as arrays (for
/// CPU-side graph bookkeeping) and as int64 tensors on the model's device. The tensors belong to the caller's
/// dispose scope.
/// </summary>
public sealed class BprBatch
{
    public BprBatch(int[] users, int[] positives, int[] negatives, Device device)
    {
        if (positives.Length != users.Length) throw new ArgumentException("users and positives differ in length.");
        if (users.Length == 0 || negatives.Length % users.Length != 0) throw new ArgumentException("negatives must hold K per user.");
        Users = users; Positives = positives; Negatives = negatives;
        NegativesPerPair = negatives.Length / users.Length;
        UserIds = Ids(users, device); PositiveIds = Ids(positives, device); NegativeIds = Ids(negatives, device);
    }

    public int Size => Users.Length;
    public int NegativesPerPair { get; }
    public int[] Users { get; }
    public int[] Positives { get; }
    public int[] Negatives { get; }
    /// <summary>int64 [B].</summary>
    public Tensor UserIds { get; }
    /// <summary>int64 [B].</summary>
    public Tensor PositiveIds { get; }
    /// <summary>int64 [B × K], pair-major.</summary>
    public Tensor NegativeIds { get; }

    private static Tensor Ids(int[] ids, Device device)
    {
        var l = new long[ids.Length];
        for (int i = 0; i < l.Length; i++) l[i] = ids[i];
        return tensor(l, device: device);
    }
}
