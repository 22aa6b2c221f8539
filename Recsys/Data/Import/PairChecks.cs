using System.Runtime.CompilerServices;

namespace Recsys.Data.Import;

/// <summary>
/// Finds repeated (user, item) pairs within one file and pairs shared between files (a train pair that is
/// also a test pair leaks the answer). Rows are bucketed by user (counting sort) and each user's items sorted,
/// O(n log d) for average degree d; a global sort of packed keys is the fallback when user ids are very sparse.
/// </summary>
public static class PairChecks
{
    /// <summary>Throws a <see cref="DataFormatException"/> naming both lines for the first repeated pair found.</summary>
    public static void RequireUnique(params ParsedInteractions[] parts)
    {
        int n = 0, maxUser = -1;
        foreach (var p in parts)
        {
            n += p.Rows.Count;
            foreach (int u in p.Rows.Users) if (u > maxUser) maxUser = u;
        }
        if (n < 2) return;
        var users = new int[n]; var items = new int[n];
        int o = 0;
        foreach (var p in parts)
        {
            p.Rows.Users.CopyTo(users, o); p.Rows.Items.CopyTo(items, o);
            o += p.Rows.Count;
        }
        var (a, b) = (long)maxUser < 4L * n + (1 << 20) ? ByUser(users, items, maxUser + 1) : BySort(users, items);
        if (a < 0) return;
        Report(parts, Math.Min(a, b), Math.Max(a, b), users, items);
    }

    /// <summary>Two global rows holding the same pair, or (-1, -1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (int, int) ByUser(int[] users, int[] items, int numUsers)
    {
        var start = new int[numUsers + 1];
        foreach (int u in users) start[u + 1]++;
        for (int u = 0; u < numUsers; u++) start[u + 1] += start[u];
        var fill = start[..^1];
        var keys = new int[users.Length];
        var rows = new int[users.Length];
        for (int r = 0; r < users.Length; r++)
        {
            int k = fill[users[r]]++;
            keys[k] = items[r];
            rows[k] = r;
        }
        for (int u = 0; u < numUsers; u++)
        {
            int s = start[u], len = start[u + 1] - s;
            if (len < 2) continue;
            var ks = keys.AsSpan(s, len);
            var rs = rows.AsSpan(s, len);
            ks.Sort(rs);
            for (int k = 1; k < len; k++)
                if (ks[k] == ks[k - 1]) return (rs[k - 1], rs[k]);
        }
        return (-1, -1);
    }

    private static (int, int) BySort(int[] users, int[] items)
    {
        var keys = new long[users.Length];
        var rows = new int[users.Length];
        for (int r = 0; r < users.Length; r++) { keys[r] = ((long)users[r] << 32) | (uint)items[r]; rows[r] = r; }
        Array.Sort(keys, rows);
        for (int k = 1; k < keys.Length; k++)
            if (keys[k] == keys[k - 1]) return (rows[k - 1], rows[k]);
        return (-1, -1);
    }

    /// <summary>Reports in source order: the earlier row is named in the message, the error is at the later one.</summary>
    private static void Report(ParsedInteractions[] parts, int a, int b, int[] users, int[] items)
    {
        var (pa, ra) = Locate(parts, a);
        var (pb, rb) = Locate(parts, b);
        var first = parts[pa]; var second = parts[pb];
        int la = first.Lines[ra], lb = second.Lines[rb];
        // Raw ids, as the file spells them (dense ids mean nothing to the user).
        string user = second.RawUser(users[a]), item = second.RawItem(items[a]);
        if (pa == pb)
            throw new DataFormatException(second.File, lb, null, $"duplicate pair (user {user}, item {item}); it already occurs on line {la}. Repeated records are errors in every importer: remove the repeat.");
        throw new DataFormatException(second.File, lb, null, $"pair (user {user}, item {item}) also occurs in {first.File} line {la}; splits must not overlap.");
    }

    private static (int Part, int Row) Locate(ParsedInteractions[] parts, int row)
    {
        int p = 0;
        while (row >= parts[p].Rows.Count) { row -= parts[p].Rows.Count; p++; }
        return (p, row);
    }
}
