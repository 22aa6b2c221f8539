namespace Recsys.Models;

/// <summary>
/// The distinct graph nodes a BPR batch touches (users 0..U-1, items U..U+I-1) in first-seen order, and for
/// each user / positive / negative its position in that list. Reuses one N-sized marker array.
/// </summary>
internal sealed class BatchNodes(int numUsers, int numNodes)
{
    private readonly int[] _slot = Enumerable.Repeat(-1, numNodes).ToArray();

    public (int[] Rows, long[] UserAt, long[] PositiveAt, long[] NegativeAt) Collect(BprBatch b)
    {
        var rows = new List<int>(b.Size * 3);
        var u = Map(b.Users, 0, rows);
        var p = Map(b.Positives, numUsers, rows);
        var n = Map(b.Negatives, numUsers, rows);
        var r = rows.ToArray();
        foreach (var x in r) _slot[x] = -1;
        return (r, u, p, n);
    }

    private long[] Map(int[] ids, int offset, List<int> rows)
    {
        var at = new long[ids.Length];
        for (int i = 0; i < ids.Length; i++)
        {
            int node = ids[i] + offset;
            if (_slot[node] < 0) { _slot[node] = rows.Count; rows.Add(node); }
            at[i] = _slot[node];
        }
        return at;
    }
}
