using TorchSharp;
using static TorchSharp.torch;

namespace Recsys.Retrieval.Mips;

/// <summary>
/// Exact maximum-inner-product search with TorchSharp on any torch device (CPU, or CUDA when available):
/// per query block one matrix product against the resident item matrix, exclusions scattered in as −∞, then
/// <c>topk</c> of k + 1 columns. topk does not order ties, so rows are re-sorted by (score descending, id ascending)
/// on the host, and a row whose k-th and (k+1)-th scores tie is re-ranked from its full score row — the same answer
/// as <see cref="ExactCpuMipsIndex"/> whenever the two compute the same scores (e.g. integer-valued vectors).
/// Items scoring −∞ (excluded) are returned as padding (id −1).
/// Concurrent searches are safe: the item tensor is only read, and each call makes its own query and score tensors
/// under its own dispose scope and <c>no_grad</c> guard (both thread-local in TorchSharp / libtorch).
/// </summary>
public sealed class TorchMipsIndex : IMipsIndex
{
    private readonly Tensor _itemsT;
    private readonly long _blockBytes;

    /// <summary>Uploads <paramref name="items"/> (row-major [count, dim]) to the device.</summary>
    public TorchMipsIndex(ReadOnlySpan<float> items, int dim, TorchMipsOptions? options = null)
    {
        var o = options ?? new TorchMipsOptions();
        o.Validate();
        MipsArguments.ItemCount(items, dim);
        Dim = dim;
        Count = items.Length / dim;
        Device = o.Device.Resolve();
        _blockBytes = o.BlockBytes > 0 ? o.BlockBytes : Device.type == DeviceType.CUDA ? 1L << 30 : 256L << 20;
        using var host = tensor(items.ToArray(), [Count, dim]);
        // Stored transposed and contiguous so each block is one plain [b, d] × [d, m] product.
        _itemsT = host.to(Device).t().contiguous().DetachFromDisposeScope();
    }

    public int Count { get; }
    public int Dim { get; }
    /// <summary>The device holding the items.</summary>
    public Device Device { get; }

    public MipsResult Search(ReadOnlySpan<float> queries, int k, Exclusions? exclude = null)
    {
        int n = MipsArguments.QueryCount(queries, Dim, k, exclude);
        var ids = new int[(long)n * k];
        var scores = new float[(long)n * k];
        if (Count == 0) { Array.Fill(ids, -1); Array.Fill(scores, float.NegativeInfinity); return new MipsResult(n, k, ids, scores); }
        int block = (int)Math.Clamp(_blockBytes / ((long)Count * 8), 1, Math.Max(1, n));
        using var noGrad = no_grad();
        for (int q0 = 0; q0 < n; q0 += block)
        {
            int nb = Math.Min(block, n - q0);
            SearchBlock(queries.Slice(q0 * Dim, nb * Dim), nb, k, exclude?.Slice(q0, nb), ids.AsSpan(q0 * k, nb * k), scores.AsSpan(q0 * k, nb * k));
        }
        return new MipsResult(n, k, ids, scores);
    }

    private void SearchBlock(ReadOnlySpan<float> q, int nb, int k, Exclusions? ex, Span<int> outIds, Span<float> outScores)
    {
        using var scope = NewDisposeScope();
        int m = Count;
        var qt = tensor(q.ToArray(), [nb, Dim]).to(Device);
        var s = qt.mm(_itemsT);
        if (ex is not null)
        {
            var flat = FlatIndices(ex, m);
            if (flat.Length > 0) s.view(-1).index_fill_(0, tensor(flat).to(Device), float.NegativeInfinity);
        }
        int kk = Math.Min(k + 1, m);
        var (vals, idx) = s.topk(kk, dim: 1, largest: true, sorted: true);
        var v = vals.cpu().data<float>().ToArray();
        var ix = idx.cpu().data<long>().ToArray();
        int kEff = Math.Min(k, m);
        var rowS = new float[kEff];
        var rowI = new int[kEff];
        for (int r = 0; r < nb; r++)
        {
            int at = r * kk;
            if (kk > kEff && v[at + kEff - 1] == v[at + kEff] && v[at + kEff - 1] != float.NegativeInfinity)
            {
                // The boundary cuts through a tie: only the full row says which ids are lowest.
                var full = s[r].cpu().data<float>().ToArray();
                ExactRow(full, kEff, rowS, rowI);
            }
            else
            {
                for (int j = 0; j < kEff; j++) { rowS[j] = v[at + j]; rowI[j] = (int)ix[at + j]; }
                SortRow(rowS, rowI);
            }
            var os = outScores.Slice(r * k, k);
            var oi = outIds.Slice(r * k, k);
            for (int j = 0; j < k; j++)
            {
                bool real = j < kEff && rowS[j] != float.NegativeInfinity && !float.IsNaN(rowS[j]);
                oi[j] = real ? rowI[j] : -1;
                os[j] = real ? rowS[j] : float.NegativeInfinity;
            }
        }
    }

    private static long[] FlatIndices(Exclusions ex, int m)
    {
        long total = 0;
        for (int r = 0; r < ex.Rows; r++) total += ex.Row(r).Length;
        var flat = new long[total];
        long w = 0;
        for (int r = 0; r < ex.Rows; r++)
            foreach (int id in ex.Row(r))
                if ((uint)id < (uint)m) flat[w++] = (long)r * m + id;
        return w == total ? flat : flat[..(int)w];
    }

    /// <summary>Insertion sort by (score descending, id ascending); rows are short (k).</summary>
    private static void SortRow(float[] s, int[] ids)
    {
        for (int i = 1; i < s.Length; i++)
        {
            float cs = s[i]; int ci = ids[i]; int j = i - 1;
            while (j >= 0 && (s[j] < cs || (s[j] == cs && ids[j] > ci))) { s[j + 1] = s[j]; ids[j + 1] = ids[j]; j--; }
            s[j + 1] = cs; ids[j + 1] = ci;
        }
    }

    /// <summary>Top-k of a full score row by (score descending, id ascending).</summary>
    private static void ExactRow(float[] full, int k, float[] s, int[] ids)
    {
        int size = 0;
        for (int id = 0; id < full.Length; id++)
        {
            float x = full[id];
            if (size == k && !(x > s[k - 1])) continue; // ascending ids: an equal score loses
            int j = size < k ? size++ : k - 1;
            while (j > 0 && s[j - 1] < x) { s[j] = s[j - 1]; ids[j] = ids[j - 1]; j--; }
            s[j] = x; ids[j] = id;
        }
        for (int j = size; j < k; j++) { s[j] = float.NegativeInfinity; ids[j] = -1; }
    }

    public void Dispose() => _itemsT.Dispose();
}
