using System.Buffers;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace Recsys.Retrieval.Mips;

/// <summary>
/// The simple exact MIPS reference: for every query, one <see cref="TensorPrimitives.Dot(ReadOnlySpan{float}, ReadOnlySpan{float})"/>
/// per item into a score row, then <see cref="TopK.Select"/> keeps the top k (scores descending, ties → lower id, excluded
/// ids skipped, padding id −1 / score −∞). Queries are spread over threads. Costs 2·n·Count·Dim FLOP and
/// Count floats of scratch per thread; the items matrix [Count, Dim] (row-major) is referenced, not copied.
/// </summary>
public sealed class BruteForceMipsIndex : IMipsIndex
{
    private readonly float[] _items;

    /// <param name="items">Row-major [count, dim] item vectors; must not be mutated while the index is used.</param>
    /// <param name="dim">Vector dimension (≥ 1).</param>
    public BruteForceMipsIndex(float[] items, int dim)
    {
        ArgumentNullException.ThrowIfNull(items);
        MipsArguments.ItemCount(items, dim);
        _items = items;
        Dim = dim;
        Count = items.Length / dim;
    }

    public int Count { get; }
    public int Dim { get; }

    public unsafe MipsResult Search(ReadOnlySpan<float> queries, int k, Exclusions? exclude = null)
    {
        int n = MipsArguments.QueryCount(queries, Dim, k, exclude);
        var ids = new int[(long)n * k];
        var scores = new float[(long)n * k];
        if (n == 0) return new MipsResult(0, k, ids, scores);
        fixed (float* q = queries)
        {
            var job = new Job(this, q, k, exclude, ids, scores);
            // Enough chunks to balance uneven exclusion lists, few enough to keep per-chunk scratch cheap.
            int chunks = Math.Min(n, Environment.ProcessorCount * 4);
            if (chunks <= 1 || (long)n * Count * Dim < 1 << 20) Run(job, 0, n);
            else Parallel.For(0, chunks, c => Run(job, (int)((long)n * c / chunks), (int)((long)n * (c + 1) / chunks)));
        }
        return new MipsResult(n, k, ids, scores);
    }

    public void Dispose() { }

    private readonly unsafe struct Job(BruteForceMipsIndex index, float* queries, int k, Exclusions? exclude, int[] ids, float[] scores)
    {
        public readonly BruteForceMipsIndex Index = index;
        public readonly float* Queries = queries;
        public readonly int K = k;
        public readonly Exclusions? Exclude = exclude;
        public readonly int[] Ids = ids;
        public readonly float[] Scores = scores;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Run(Job j, int q0, int q1)
    {
        int dim = j.Index.Dim, count = j.Index.Count, k = j.K;
        var items = j.Index._items.AsSpan();
        var row = ArrayPool<float>.Shared.Rent(count);
        try
        {
            var s = row.AsSpan(0, count);
            for (int q = q0; q < q1; q++)
            {
                var query = new ReadOnlySpan<float>(j.Queries + (long)q * dim, dim);
                for (int i = 0; i < count; i++) s[i] = TensorPrimitives.Dot(query, items.Slice(i * dim, dim));
                var ex = j.Exclude is null ? ReadOnlySpan<int>.Empty : j.Exclude.Row(q);
                TopK.Select(s, ex, j.Ids.AsSpan(q * k, k), j.Scores.AsSpan(q * k, k));
            }
        }
        finally { ArrayPool<float>.Shared.Return(row); }
    }
}
