using System.Buffers;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace Recsys.Retrieval.Mips;

/// <summary>
/// The simple exact MIPS reference: for every query, one <see cref="TensorPrimitives.Dot(ReadOnlySpan{float}, ReadOnlySpan{float})"/>
/// per item into a score row, then a bounded heap keeps the top k (scores descending, ties → lower id, excluded
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
                SelectTopK(s, ex, j.Ids.AsSpan(q * k, k), j.Scores.AsSpan(q * k, k));
            }
        }
        finally { ArrayPool<float>.Shared.Return(row); }
    }

    /// <summary>
    /// Writes the best <c>ids.Length</c> entries of <paramref name="scores"/> (score descending, ties → lower id)
    /// into <paramref name="ids"/> / <paramref name="topScores"/>, skipping the ids in <paramref name="excludedSorted"/>
    /// (ascending; out-of-range ids are ignored) and padding with −1 / −∞. NaN scores rank as −∞.
    /// Returns the number of real entries. Shared by the evaluator's score-row path.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int SelectTopK(ReadOnlySpan<float> scores, ReadOnlySpan<int> excludedSorted, Span<int> ids, Span<float> topScores)
    {
        int k = ids.Length;
        if (topScores.Length != k) throw new ArgumentException("ids and topScores differ in length.");
        int size = 0, start = 0;
        // Scan the gaps between excluded ids so the inner loop carries no exclusion test.
        foreach (int e in excludedSorted)
        {
            if (e < start) continue;
            int end = Math.Min(e, scores.Length);
            size = Scan(scores, start, end, ids, topScores, size);
            start = end + 1;
            if (start >= scores.Length) break;
        }
        if (start < scores.Length) size = Scan(scores, start, scores.Length, ids, topScores, size);

        // Heap-sort in place: popping the worst to the back leaves best-first order.
        for (int last = size - 1; last > 0; last--)
        {
            (ids[0], ids[last]) = (ids[last], ids[0]);
            (topScores[0], topScores[last]) = (topScores[last], topScores[0]);
            SiftDown(ids, topScores, 0, last);
        }
        ids[size..].Fill(-1);
        topScores[size..].Fill(float.NegativeInfinity);
        return size;
    }

    /// <summary>Offers items [from, to) (ascending ids) to the min-heap of the current top entries.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Scan(ReadOnlySpan<float> scores, int from, int to, Span<int> ids, Span<float> top, int size)
    {
        int k = ids.Length;
        int i = from;
        for (; i < to && size < k; i++)
        {
            float s = scores[i];
            if (float.IsNaN(s)) s = float.NegativeInfinity;
            // Sift up: the root is the worst entry (lowest score, then highest id).
            int c = size++;
            while (c > 0)
            {
                int p = (c - 1) >> 1;
                if (!Worse(s, i, top[p], ids[p])) break;
                ids[c] = ids[p]; top[c] = top[p];
                c = p;
            }
            ids[c] = i; top[c] = s;
        }
        if (size < k) return size;
        float threshold = top[0];
        for (; i < to; i++)
        {
            float s = scores[i];
            // Ids arrive ascending, so an equal score never beats the root (it has a higher id).
            if (s > threshold)
            {
                ids[0] = i; top[0] = s;
                SiftDown(ids, top, 0, k);
                threshold = top[0];
            }
        }
        return size;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Worse(float sa, int ia, float sb, int ib) => sa < sb || (sa == sb && ia > ib);

    private static void SiftDown(Span<int> ids, Span<float> top, int c, int size)
    {
        int id = ids[c]; float s = top[c];
        while (true)
        {
            int l = 2 * c + 1;
            if (l >= size) break;
            int r = l + 1;
            int w = r < size && Worse(top[r], ids[r], top[l], ids[l]) ? r : l;
            if (!Worse(top[w], ids[w], s, id)) break;
            ids[c] = ids[w]; top[c] = top[w];
            c = w;
        }
        ids[c] = id; top[c] = s;
    }
}
