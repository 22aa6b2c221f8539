using Recsys.Data;
using Recsys.Graphs;
using static TorchSharp.torch;

namespace Recsys.Models;

/// <summary>
/// For <see cref="KgatColdItems.KgItems"/>: each cold item's warm item neighbours two KG hops away (item → entity →
/// item over KG relations of the collaborative KG) with weights = path counts / row total, as a sparse
/// [cold, items] matrix, and the cold items' ids.
/// </summary>
public sealed class ColdItemNeighbours : IDisposable
{
    private readonly Tensor _matrix;   // sparse [Cold, NumItems]
    private readonly Tensor _cold;     // int64 [Cold]

    private ColdItemNeighbours(Tensor matrix, Tensor cold, int count)
    {
        _matrix = matrix;
        _cold = cold;
        Count = count;
    }

    /// <summary>Cold items that got a KG-derived row.</summary>
    public int Count { get; }

    public static ColdItemNeighbours? Build(InteractionMatrix train, CollaborativeKnowledgeGraph ckg)
    {
        var g = ckg.Graph;
        var degree = train.ItemDegrees();
        var rows = new List<int>();
        var idx0 = new List<long>(); var idx1 = new List<long>(); var vals = new List<float>();
        var paths = new Dictionary<int, int>();
        for (int item = 0; item < train.NumItems; item++)
        {
            if (degree[item] > 0) continue;
            paths.Clear();
            var heads = g.Neighbors(item); var rels = g.RelationsOf(item);
            for (int a = 0; a < heads.Length; a++)
            {
                int entity = heads[a];
                if (!IsKg(ckg, rels[a]) || entity >= ckg.NumKgEntities) continue;
                var tails = g.Neighbors(entity); var trels = g.RelationsOf(entity);
                for (int b = 0; b < tails.Length; b++)
                {
                    int other = tails[b];
                    if (other == item || other >= train.NumItems || degree[other] == 0 || !IsKg(ckg, trels[b])) continue;
                    paths[other] = paths.GetValueOrDefault(other) + 1;
                }
            }
            if (paths.Count == 0) continue;
            int row = rows.Count;
            rows.Add(item);
            float total = paths.Values.Sum();
            foreach (var (other, n) in paths.OrderBy(p => p.Key)) { idx0.Add(row); idx1.Add(other); vals.Add(n / total); }
        }
        if (rows.Count == 0) return null;
        using var i = tensor(idx0.Concat(idx1).ToArray(), [2, idx0.Count]);
        using var v = tensor(vals.ToArray());
        var m = sparse_coo_tensor(i, v, [rows.Count, train.NumItems]);
        var cold = tensor(rows.Select(r => (long)r).ToArray());
        return new ColdItemNeighbours(m, cold, rows.Count);
    }

    private static bool IsKg(CollaborativeKnowledgeGraph ckg, int relation)
    {
        int interact = CollaborativeKnowledgeGraph.InteractRelation;
        return relation != interact && (!ckg.Graph.HasInverse || relation != ckg.Graph.Inverse(interact));
    }

    /// <summary>Item rows [NumItems, d] with the cold rows replaced by their neighbours' weighted mean; differentiable.</summary>
    public Tensor Apply(Tensor items)
    {
        using var m = _matrix.to(items.device);
        using var cold = _cold.to(items.device);
        using var mean = m.matmul(items);
        return items.index_copy(0, cold, mean);
    }

    public void Dispose()
    {
        _matrix.Dispose();
        _cold.Dispose();
    }
}
