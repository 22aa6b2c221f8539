using Recsys.Retrieval.Mips;
using static TorchSharp.torch;

namespace Recsys.Eval.Bench;

/// <summary>
/// The plain TorchSharp baseline the benchmark compares against: per query block one <c>mm</c>, exclusions scattered in
/// as −∞, <c>topk</c>, results copied to the host — what a PyTorch user would write, with no tie fixing.
/// </summary>
internal sealed class MmTopkBaseline : IDisposable
{
    private readonly Tensor _itemsT;
    private readonly Device _device;
    private readonly int _m, _d;

    public MmTopkBaseline(float[] items, int dim, Device device)
    {
        _d = dim; _m = items.Length / dim; _device = device;
        using var host = tensor(items, [_m, dim]);
        _itemsT = host.to(device).t().contiguous().DetachFromDisposeScope();
    }

    public MipsResult Search(float[] queries, int k, Exclusions? ex, long blockBytes)
    {
        int n = queries.Length / _d, kk = Math.Min(k, _m);
        var ids = new int[n * k];
        var scores = new float[n * k];
        int block = (int)Math.Clamp(blockBytes / ((long)_m * 8), 1, n);
        using var noGrad = no_grad();
        for (int q0 = 0; q0 < n; q0 += block)
        {
            using var scope = NewDisposeScope();
            int nb = Math.Min(block, n - q0);
            var q = tensor(queries.AsSpan(q0 * _d, nb * _d).ToArray(), [nb, _d]).to(_device);
            var s = q.mm(_itemsT);
            if (ex is not null)
            {
                var flat = new List<long>();
                for (int r = 0; r < nb; r++) foreach (int id in ex.Row(q0 + r)) flat.Add((long)r * _m + id);
                if (flat.Count > 0) s.view(-1).index_fill_(0, tensor(flat.ToArray()).to(_device), float.NegativeInfinity);
            }
            var (v, i) = s.topk(kk, dim: 1);
            var va = v.cpu().data<float>().ToArray();
            var ia = i.cpu().data<long>().ToArray();
            for (int r = 0; r < nb; r++)
                for (int j = 0; j < k; j++)
                {
                    int o = (q0 + r) * k + j;
                    ids[o] = j < kk ? (int)ia[r * kk + j] : -1;
                    scores[o] = j < kk ? va[r * kk + j] : float.NegativeInfinity;
                }
        }
        return new MipsResult(n, k, ids, scores);
    }

    public void Dispose() => _itemsT.Dispose();
}
