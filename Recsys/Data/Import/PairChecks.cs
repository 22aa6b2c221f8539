namespace Recsys.Data.Import;

/// <summary>
/// Finds repeated (user, item) pairs within one file and pairs shared between files (a train pair that is
/// also a test pair leaks the answer). One sort of packed 64-bit keys over all rows: O(n log n).
/// </summary>
public static class PairChecks
{
    /// <summary>Throws a <see cref="DataFormatException"/> naming both lines for the first repeated pair found.</summary>
    public static void RequireUnique(params ParsedInteractions[] parts)
    {
        int n = parts.Sum(p => p.Rows.Count);
        var keys = new long[n];
        var rows = new int[n];
        var offsets = new int[parts.Length + 1];
        int o = 0;
        for (int p = 0; p < parts.Length; p++)
        {
            offsets[p] = o;
            var x = parts[p].Rows;
            for (int r = 0; r < x.Count; r++, o++)
            {
                keys[o] = ((long)x.Users[r] << 32) | (uint)x.Items[r];
                rows[o] = o;
            }
        }
        offsets[parts.Length] = o;
        Array.Sort(keys, rows);
        for (int k = 1; k < n; k++)
        {
            if (keys[k] != keys[k - 1]) continue;
            // Report in source order: the earlier row first, the error at the later one.
            int a = Math.Min(rows[k], rows[k - 1]), b = Math.Max(rows[k], rows[k - 1]);
            int pa = Part(offsets, a), pb = Part(offsets, b);
            var first = parts[pa]; var second = parts[pb];
            int la = first.Lines[a - offsets[pa]], lb = second.Lines[b - offsets[pb]];
            int user = (int)(keys[k] >> 32), item = (int)keys[k];
            if (pa == pb)
                throw new DataFormatException(second.File, lb, null, $"duplicate pair (user {user}, item {item}); it already occurs on line {la}.");
            throw new DataFormatException(second.File, lb, null, $"pair (user {user}, item {item}) also occurs in {first.File} line {la}; splits must not overlap.");
        }
    }

    private static int Part(int[] offsets, int row)
    {
        int p = 0;
        while (row >= offsets[p + 1]) p++;
        return p;
    }
}
