using Recsys.Data;
using Recsys.Graphs;
using static TorchSharp.torch;

namespace Recsys.Models;

/// <summary>
/// For <see cref="KgatColdItems.KgItems"/>: each cold item's warm item neighbours two KG hops away (item → entity →
/// item over KG relations of the collaborative KG), weighted by the probability of a two-step random walk that picks
/// uniformly among the item's entities (those linked to some warm item) and then among that entity's warm items — so a
/// tag shared with thousands of items weighs less per item than a specific one — as a sparse [cold, items] matrix.
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
        // Warm items linked to each KG entity over KG relations (computed once per entity that a cold item reaches).
        var warmOf = new Dictionary<int, int[]>();
        int[] WarmOf(int entity)
        {
            if (warmOf.TryGetValue(entity, out var w)) return w;
            var tails = g.Neighbors(entity); var rels = g.RelationsOf(entity);
            var list = new List<int>();
            for (int b = 0; b < tails.Length; b++)
                if (tails[b] < train.NumItems && degree[tails[b]] > 0 && IsKg(ckg, rels[b])) list.Add(tails[b]);
            return warmOf[entity] = list.Distinct().ToArray();
        }
        var rows = new List<int>();
        var idx0 = new List<long>(); var idx1 = new List<long>(); var vals = new List<float>();
        var prob = new SortedDictionary<int, double>();
        var entities = new List<int>();
        for (int item = 0; item < train.NumItems; item++)
        {
            if (degree[item] > 0) continue;
            entities.Clear();
            var heads = g.Neighbors(item); var rels = g.RelationsOf(item);
            for (int a = 0; a < heads.Length; a++)
                if (IsKg(ckg, rels[a]) && heads[a] < ckg.NumKgEntities && heads[a] != item && WarmOf(heads[a]).Length > 0) entities.Add(heads[a]);
            if (entities.Count == 0) continue;
            // Two-step random walk item → entity → warm item, each step uniform over the links that lead on.
            prob.Clear();
            foreach (int e in entities)
            {
                var warm = WarmOf(e);
                double p = 1.0 / entities.Count / warm.Length;
                foreach (int j in warm) prob[j] = prob.GetValueOrDefault(j) + p;
            }
            int row = rows.Count;
            rows.Add(item);
            foreach (var (j, p) in prob) { idx0.Add(row); idx1.Add(j); vals.Add((float)p); }
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
