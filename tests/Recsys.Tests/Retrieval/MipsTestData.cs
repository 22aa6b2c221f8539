using Recsys.Retrieval.Mips;

namespace Recsys.Tests.Retrieval;

/// <summary>Seeded synthetic MIPS inputs and a direct reference answer for the exact-MIPS tests.</summary>
internal static class MipsTestData
{
    /// <summary>Uniform floats in [-1, 1).</summary>
    public static float[] Uniform(int rows, int dim, int seed)
    {
        var r = new Random(seed);
        var a = new float[rows * dim];
        for (int i = 0; i < a.Length; i++) a[i] = r.NextSingle() * 2 - 1;
        return a;
    }

    /// <summary>Small integers in [-range, range]: every inner product is exact in float, and ties are common.</summary>
    public static float[] Integers(int rows, int dim, int seed, int range = 2)
    {
        var r = new Random(seed);
        var a = new float[rows * dim];
        for (int i = 0; i < a.Length; i++) a[i] = r.Next(-range, range + 1);
        return a;
    }

    /// <summary>Random sorted exclusion rows holding about <paramref name="fraction"/> of the items.</summary>
    public static Exclusions RandomExclusions(int queries, int items, double fraction, int seed)
    {
        var r = new Random(seed);
        var ptr = new int[queries + 1];
        var ids = new List<int>();
        for (int q = 0; q < queries; q++)
        {
            for (int i = 0; i < items; i++) if (r.NextDouble() < fraction) ids.Add(i);
            ptr[q + 1] = ids.Count;
        }
        return new Exclusions(ptr, ids.ToArray());
    }

    /// <summary>
    /// Reference top-k: scores accumulated over dimensions in order with fused multiply-adds (the CPU kernels'
    /// order, so scores match bit for bit), sorted by score descending then id ascending, −∞ never returned.
    /// </summary>
    public static MipsResult Reference(float[] items, float[] queries, int dim, int k, Exclusions? ex = null)
    {
        int m = items.Length / dim, n = queries.Length / dim;
        var ids = new int[n * k];
        var scores = new float[n * k];
        for (int q = 0; q < n; q++)
        {
            var cand = new List<(float S, int Id)>();
            var excl = ex is null ? default : ex.Row(q);
            for (int i = 0; i < m; i++)
            {
                if (excl.Length > 0 && excl.BinarySearch(i) >= 0) continue;
                float s = 0;
                for (int t = 0; t < dim; t++) s = MathF.FusedMultiplyAdd(queries[q * dim + t], items[i * dim + t], s);
                if (s > float.NegativeInfinity) cand.Add((s, i));
            }
            cand.Sort((a, b) => a.S != b.S ? b.S.CompareTo(a.S) : a.Id.CompareTo(b.Id));
            for (int j = 0; j < k; j++)
            {
                ids[q * k + j] = j < cand.Count ? cand[j].Id : -1;
                scores[q * k + j] = j < cand.Count ? cand[j].S : float.NegativeInfinity;
            }
        }
        return new MipsResult(n, k, ids, scores);
    }
}
