using System.Runtime.CompilerServices;

namespace Recsys.Retrieval.Mips.Cpu;

/// <summary>
/// Per-query candidate lists of the int8 first pass, kept as append buffers with periodic selection instead of heaps.
/// With k·over-fetch candidates the threshold rises slowly (≈ 500–800 admissions per query at 80 candidates over 41k
/// items); here an admission is a compress-store of the passing lanes, and when a buffer reaches its limit it is cut:
/// excluded ids among the new entries are dropped (one merge walk: entries arrive in ascending id order), a quickselect
/// keeps the best Capacity, and the threshold rises to the worst kept score. Selection keys are 64-bit — integer score
/// in the high half, <c>int.MaxValue − id</c> in the low half — so a larger key is a better candidate under
/// "score descending, ties → lower id". The kept set is the exact top Capacity by key whatever the cut points.
/// </summary>
internal static unsafe class CandidateBuffer
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static long Key(int score, int id) => ((long)score << 32) | (uint)(int.MaxValue - id);

    /// <summary>
    /// Drops excluded entries appended since the last cut and, when more than Capacity remain, keeps the best Capacity
    /// and raises the query's threshold. Sets the buffer's size and clean mark.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Cut(ref Int8ScanJob job, Exclusions? ex, int ql)
    {
        int* sc = job.Scores + (long)ql * job.Stride;
        int* id = job.Ids + (long)ql * job.Stride;
        int size = job.Sizes[ql], clean = job.Clean[ql];
        if (ex is not null)
        {
            var excl = ex.Row(job.QueryBase + ql);
            if (excl.Length != 0 && size > clean)
            {
                int e = excl.BinarySearch(id[clean]);
                if (e < 0) e = ~e;
                int w = clean;
                for (int r = clean; r < size; r++)
                {
                    int v = id[r];
                    while (e < excl.Length && excl[e] < v) e++;
                    if (e < excl.Length && excl[e] == v) continue;
                    sc[w] = sc[r]; id[w] = v; w++;
                }
                size = w;
            }
        }
        int cap = job.Capacity;
        if (size > cap)
        {
            long* keys = job.Keys;
            for (int r = 0; r < size; r++) keys[r] = Key(sc[r], id[r]);
            long worst = SelectTop(keys, size, cap);
            for (int r = 0; r < cap; r++) { sc[r] = (int)(keys[r] >> 32); id[r] = int.MaxValue - (int)(uint)keys[r]; }
            size = cap;
            // Later items of this scan have higher ids, so one tying the worst kept score ranks below it: strict > is exact.
            job.ThrI[ql] = (int)(worst >> 32);
        }
        job.Sizes[ql] = size;
        job.Clean[ql] = size;
    }

    /// <summary>
    /// Reorders <paramref name="keys"/>[0..n) so that its <paramref name="keep"/> largest keys come first (in no
    /// particular order) and returns the smallest of them. Keys must be distinct; requires 0 &lt; keep ≤ n.
    /// </summary>
    public static long SelectTop(long* keys, int n, int keep)
    {
        int lo = 0, hi = n - 1, target = keep - 1;
        while (lo < hi)
        {
            // Median of three as pivot, moved to hi; branch-free Lomuto partition (larger keys to the front):
            // the compare feeds an add, not a jump, so random data costs no mispredictions.
            int mid = lo + ((hi - lo) >> 1);
            long a = keys[lo], b = keys[mid], c = keys[hi];
            int pi = a > b ? (b > c ? mid : (a > c ? hi : lo)) : (a > c ? lo : (b > c ? hi : mid));
            long pivot = keys[pi];
            keys[pi] = keys[hi]; keys[hi] = pivot;
            int store = lo;
            for (int i = lo; i < hi; i++)
            {
                long v = keys[i];
                keys[i] = keys[store];
                keys[store] = v;
                store += v > pivot ? 1 : 0;
            }
            keys[hi] = keys[store]; keys[store] = pivot;
            if (store == target) break;
            if (target < store) hi = store - 1;
            else lo = store + 1;
        }
        long min = keys[0];
        for (int t = 1; t < keep; t++) if (keys[t] < min) min = keys[t];
        return min;
    }
}
