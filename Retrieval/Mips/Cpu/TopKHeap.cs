using System.Runtime.CompilerServices;

namespace Recsys.Retrieval.Mips.Cpu;

/// <summary>
/// A bounded min-heap of (score, id) pairs held in caller-owned memory (one heap per query), whose root is the
/// worst kept candidate: the lowest score, and among equal scores the highest id — so the heap keeps the
/// top-k under "score descending, ties by lower id".
/// </summary>
internal static unsafe class TopKHeap
{
    /// <summary>True when (sa, ia) ranks below (sb, ib).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Worse(float sa, int ia, float sb, int ib) => sa < sb || (sa == sb && ia > ib);

    /// <summary>Offers a candidate; keeps at most <paramref name="k"/> entries.</summary>
    public static void Push(float* s, int* ids, ref int size, int k, float score, int id)
    {
        if (size < k)
        {
            // Sift up from the new leaf.
            int i = size++;
            while (i > 0)
            {
                int parent = (i - 1) >> 1;
                if (!Worse(score, id, s[parent], ids[parent])) break;
                s[i] = s[parent]; ids[i] = ids[parent];
                i = parent;
            }
            s[i] = score; ids[i] = id;
            return;
        }
        if (!Worse(s[0], ids[0], score, id)) return;
        SiftDown(s, ids, size, score, id);
    }

    /// <summary>Replaces the root by (score, id) and restores the heap order.</summary>
    private static void SiftDown(float* s, int* ids, int size, float score, int id)
    {
        int i = 0;
        while (true)
        {
            int c = 2 * i + 1;
            if (c >= size) break;
            if (c + 1 < size && Worse(s[c + 1], ids[c + 1], s[c], ids[c])) c++;
            if (!Worse(s[c], ids[c], score, id)) break;
            s[i] = s[c]; ids[i] = ids[c];
            i = c;
        }
        s[i] = score; ids[i] = id;
    }

    /// <summary>
    /// Empties the heap into <paramref name="outScores"/>/<paramref name="outIds"/> (length k) best first,
    /// padding the tail with id −1 and score −∞.
    /// </summary>
    public static void Drain(float* s, int* ids, int size, Span<float> outScores, Span<int> outIds)
    {
        for (int j = size; j < outIds.Length; j++) { outIds[j] = -1; outScores[j] = float.NegativeInfinity; }
        // Popping the root yields the worst entry first, so fill from the back.
        for (int n = size; n > 0; n--)
        {
            outScores[n - 1] = s[0]; outIds[n - 1] = ids[0];
            float ls = s[n - 1]; int li = ids[n - 1];
            if (n - 1 > 0) SiftDown(s, ids, n - 1, ls, li);
        }
    }
}
