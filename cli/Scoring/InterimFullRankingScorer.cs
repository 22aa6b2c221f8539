using Recsys.Data;
using Recsys.Training;
using static TorchSharp.torch;

namespace Recsys.Cli.Scoring;

/// <summary>
/// Stand-in full-ranking scorer until Eval's evaluator is wired in (see <see cref="ValidationScorerFactory"/>):
/// recall@K and NDCG@K (standard ideal DCG over min(|truth|, K)) over all items, training items excluded,
/// users blocked so the score matrix never exists whole. Ties go to torch's topk order.
/// </summary>
public sealed class InterimFullRankingScorer : IValidationScorer
{
    private readonly InteractionMatrix _seen;
    private readonly InteractionMatrix _truth;
    private readonly int _k;

    public InterimFullRankingScorer(InteractionMatrix seen, InteractionMatrix truth, string split, int k = 20)
    {
        _seen = seen; _truth = truth; _k = k; Split = split;
    }

    public string PrimaryMetric => $"recall@{_k}";
    public string Split { get; }

    public IReadOnlyDictionary<string, double> Score(ReadOnlySpan<float> userEmbeddings, ReadOnlySpan<float> itemEmbeddings, int dim)
    {
        int users = _seen.NumUsers, items = _seen.NumItems, block = 2048;
        using var scope = NewDisposeScope();
        var it = tensor(itemEmbeddings.ToArray(), [items, dim]);
        var ut = tensor(userEmbeddings.ToArray(), [users, dim]);
        double recall = 0, ndcg = 0; int n = 0;
        var idcg = new double[_k + 1];
        for (int i = 1; i <= _k; i++) idcg[i] = idcg[i - 1] + 1 / Math.Log2(i + 1);
        for (int u0 = 0; u0 < users; u0 += block)
        {
            using var inner = NewDisposeScope();
            int b = Math.Min(block, users - u0);
            var s = ut.narrow(0, u0, b).matmul(it.t());
            var flat = new List<long>();
            for (int u = 0; u < b; u++)
                foreach (var i in _seen.ItemsOf(u0 + u)) flat.Add((long)u * items + i);
            if (flat.Count > 0) s.view(-1).index_fill_(0, tensor(flat.ToArray()), float.NegativeInfinity);
            var top = s.topk(_k, dim: 1).indexes.data<long>().ToArray();
            for (int u = 0; u < b; u++)
            {
                var truth = _truth.ItemsOf(u0 + u);
                if (truth.Length == 0) continue;
                int hits = 0; double dcg = 0;
                for (int r = 0; r < _k; r++)
                    if (truth.BinarySearch((int)top[u * _k + r]) >= 0) { hits++; dcg += 1 / Math.Log2(r + 2); }
                recall += (double)hits / truth.Length;
                ndcg += dcg / idcg[Math.Min(truth.Length, _k)];
                n++;
            }
        }
        return new Dictionary<string, double> { [$"recall@{_k}"] = n == 0 ? 0 : recall / n, [$"ndcg@{_k}"] = n == 0 ? 0 : ndcg / n };
    }
}
