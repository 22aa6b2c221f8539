using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Recsys.Retrieval.Mips;

/// <summary>
/// The project's one top-K selection, with its one tie rule: entries rank by score descending, and among equal scores
/// the lower id ranks first; result rows hold the best entries first and are padded with id −1 / score −∞.
/// <para>
/// Two shapes of use share the same bounded min-heap (root = the worst kept entry: lowest score, then highest id):
/// <see cref="Push"/> / <see cref="Drain"/> keep a heap in caller-owned memory while candidates stream in (the exact
/// CPU kernel keeps one per query, fed only by scores that beat the query's threshold; the item-kNN fit keeps one per
/// item), and <see cref="Select"/> picks the top entries of a whole score row with an exclusion list.
/// Merging several sorted top-K lists is <see cref="TopKMerge"/>.
/// </para>
/// The heap routines work through unchecked references: they sit on the exact kernel's hit path, and the spans' lengths
/// are checked once per call instead of per sift step.
/// </summary>
public static class TopK
{
    /// <summary>The id that pads a row with fewer than k real entries (its score is −∞).</summary>
    public const int PaddingId = -1;

    /// <summary>True when (<paramref name="sa"/>, <paramref name="ia"/>) ranks below (<paramref name="sb"/>, <paramref name="ib"/>): a lower score, or an equal score and a higher id.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Worse(float sa, int ia, float sb, int ib) => sa < sb || (sa == sb && ia > ib);

    /// <summary>
    /// Offers (<paramref name="id"/>, <paramref name="score"/>) to the bounded heap held in
    /// <paramref name="heapIds"/> / <paramref name="heapScores"/> (capacity = their common length k) whose first
    /// <paramref name="size"/> entries are live. While fewer than k entries are kept the candidate is always added;
    /// afterwards it replaces the root when it ranks above it. The caller decides what may enter (e.g. no −∞, no
    /// excluded ids); the heap only ranks.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Push(Span<int> heapIds, Span<float> heapScores, ref int size, int id, float score)
    {
        int k = heapIds.Length;
        if (heapScores.Length != k) throw new ArgumentException("heapIds and heapScores differ in length.");
        ref int ids = ref MemoryMarshal.GetReference(heapIds);
        ref float s = ref MemoryMarshal.GetReference(heapScores);
        if (size < k) { SiftUp(ref ids, ref s, size++, id, score); return; }
        if (k == 0 || !Worse(s, ids, score, id)) return;
        SiftDown(ref ids, ref s, 0, k, id, score);
    }

    /// <summary>
    /// Empties a heap built by <see cref="Push"/> (<paramref name="size"/> live entries) into
    /// <paramref name="outIds"/> / <paramref name="outScores"/> (length k ≥ size), best first, padding the tail with
    /// id −1 / score −∞. The heap's memory is left in an unspecified state. Returns <paramref name="size"/>.
    /// </summary>
    public static int Drain(Span<int> heapIds, Span<float> heapScores, int size, Span<int> outIds, Span<float> outScores)
    {
        if (outScores.Length != outIds.Length) throw new ArgumentException("outIds and outScores differ in length.");
        if ((uint)size > (uint)heapIds.Length || heapIds.Length != heapScores.Length || size > outIds.Length)
            throw new ArgumentOutOfRangeException(nameof(size), size, "must be within the heap and the output row.");
        outIds[size..].Fill(PaddingId);
        outScores[size..].Fill(float.NegativeInfinity);
        ref int ids = ref MemoryMarshal.GetReference(heapIds);
        ref float s = ref MemoryMarshal.GetReference(heapScores);
        // Popping the root yields the worst entry first, so fill from the back.
        for (int n = size; n > 0; n--)
        {
            outIds[n - 1] = ids; outScores[n - 1] = s;
            if (n > 1) SiftDown(ref ids, ref s, 0, n - 1, Unsafe.Add(ref ids, n - 1), Unsafe.Add(ref s, n - 1));
        }
        return size;
    }

    /// <summary>
    /// Writes the best <c>ids.Length</c> entries of the score row <paramref name="scores"/> (entry i has id i) into
    /// <paramref name="ids"/> / <paramref name="topScores"/>, best first, skipping the ids in
    /// <paramref name="excludedSorted"/> (ascending; out-of-range ids are ignored) and padding with −1 / −∞.
    /// NaN scores rank as −∞; −∞ entries are returned when fewer than k better ones exist (this is the score-row
    /// contract the evaluator's <c>IUserScorer</c> path has always had). Returns the number of real entries.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int Select(ReadOnlySpan<float> scores, ReadOnlySpan<int> excludedSorted, Span<int> ids, Span<float> topScores)
    {
        int k = ids.Length;
        if (topScores.Length != k) throw new ArgumentException("ids and topScores differ in length.");
        int size = 0, start = 0;
        // Scan the gaps between excluded ids so the inner loop carries no exclusion test.
        foreach (int e in excludedSorted)
        {
            if (e < start) continue;
            int end = Math.Min(e, scores.Length);
            size = ScanRange(scores, start, end, ids, topScores, size);
            start = end + 1;
            if (start >= scores.Length) break;
        }
        if (start < scores.Length) size = ScanRange(scores, start, scores.Length, ids, topScores, size);

        // Heap-sort in place: popping the worst to the back leaves best-first order.
        ref int hi = ref MemoryMarshal.GetReference(ids);
        ref float hs = ref MemoryMarshal.GetReference(topScores);
        for (int last = size - 1; last > 0; last--)
        {
            int li = ids[last]; float ls = topScores[last];
            ids[last] = ids[0]; topScores[last] = topScores[0];
            SiftDown(ref hi, ref hs, 0, last, li, ls);
        }
        ids[size..].Fill(PaddingId);
        topScores[size..].Fill(float.NegativeInfinity);
        return size;
    }

    /// <summary>Offers the entries [from, to) of a score row (ascending ids) to the heap in ids/top (k = ids.Length).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int ScanRange(ReadOnlySpan<float> scores, int from, int to, Span<int> ids, Span<float> top, int size)
    {
        int k = ids.Length;
        ref int hi = ref MemoryMarshal.GetReference(ids);
        ref float hs = ref MemoryMarshal.GetReference(top);
        int i = from;
        for (; i < to && size < k; i++)
        {
            float s = scores[i];
            SiftUp(ref hi, ref hs, size++, i, float.IsNaN(s) ? float.NegativeInfinity : s);
        }
        if (size < k || k == 0) return size;
        float threshold = hs;
        for (; i < to; i++)
        {
            float s = scores[i];
            // Ids arrive ascending, so an equal score never beats the root (it has a lower id); NaN fails the test.
            if (s > threshold)
            {
                SiftDown(ref hi, ref hs, 0, k, i, s);
                threshold = hs;
            }
        }
        return size;
    }

    /// <summary>Places (id, score) at leaf <paramref name="c"/> and moves it up past every parent that ranks below it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void SiftUp(ref int ids, ref float s, int c, int id, float score)
    {
        while (c > 0)
        {
            int p = (c - 1) >> 1;
            if (!Worse(score, id, Unsafe.Add(ref s, p), Unsafe.Add(ref ids, p))) break;
            Unsafe.Add(ref ids, c) = Unsafe.Add(ref ids, p); Unsafe.Add(ref s, c) = Unsafe.Add(ref s, p);
            c = p;
        }
        Unsafe.Add(ref ids, c) = id; Unsafe.Add(ref s, c) = score;
    }

    /// <summary>Puts (id, score) at node <paramref name="c"/> of a heap of <paramref name="size"/> entries and restores the order below it.</summary>
    private static void SiftDown(ref int ids, ref float s, int c, int size, int id, float score)
    {
        while (true)
        {
            int l = 2 * c + 1;
            if (l >= size) break;
            int r = l + 1;
            int w = r < size && Worse(Unsafe.Add(ref s, r), Unsafe.Add(ref ids, r), Unsafe.Add(ref s, l), Unsafe.Add(ref ids, l)) ? r : l;
            if (!Worse(Unsafe.Add(ref s, w), Unsafe.Add(ref ids, w), score, id)) break;
            Unsafe.Add(ref ids, c) = Unsafe.Add(ref ids, w); Unsafe.Add(ref s, c) = Unsafe.Add(ref s, w);
            c = w;
        }
        Unsafe.Add(ref ids, c) = id; Unsafe.Add(ref s, c) = score;
    }
}
