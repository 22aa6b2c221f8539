using Recsys.Data;

namespace Recsys.Retrieval.Mips;

/// <summary>
/// Per-query exclusion lists in CSR form: row q holds the sorted item ids query q must never return.
/// A view over rows [FirstRow, FirstRow + Rows) of shared arrays, so blocks of queries slice without copying.
/// </summary>
public sealed class Exclusions
{
    private readonly int[] _ptr;
    private readonly int[] _ids;

    public Exclusions(int[] rowPtr, int[] ids) : this(rowPtr, ids, 0, rowPtr.Length - 1) { }

    private Exclusions(int[] rowPtr, int[] ids, int first, int rows)
    {
        _ptr = rowPtr; _ids = ids; FirstRow = first; Rows = rows;
    }

    public int FirstRow { get; }
    public int Rows { get; }

    /// <summary>Sorted excluded ids of query <paramref name="row"/> (relative to this view).</summary>
    public ReadOnlySpan<int> Row(int row)
    {
        int r = FirstRow + row;
        return _ids.AsSpan(_ptr[r], _ptr[r + 1] - _ptr[r]);
    }

    public Exclusions Slice(int start, int count)
    {
        if (start < 0 || count < 0 || start + count > Rows) throw new ArgumentOutOfRangeException(nameof(start));
        return new Exclusions(_ptr, _ids, FirstRow + start, count);
    }

    /// <summary>Each user's items in <paramref name="m"/> (row u excludes user u's items).</summary>
    public static Exclusions From(InteractionMatrix m) => new(m.RowPtr, m.ColIdx);

    /// <summary>Row-wise union of several matrices with the same users (e.g. train ∪ validation).</summary>
    public static Exclusions Union(params InteractionMatrix[] ms)
    {
        if (ms.Length == 1) return From(ms[0]);
        int users = ms[0].NumUsers;
        var ptr = new int[users + 1];
        var ids = new List<int>(ms.Sum(m => m.NonZeros));
        var buf = new List<int>();
        for (int u = 0; u < users; u++)
        {
            buf.Clear();
            foreach (var m in ms) foreach (var i in m.ItemsOf(u)) buf.Add(i);
            buf.Sort();
            for (int k = 0; k < buf.Count; k++) if (k == 0 || buf[k] != buf[k - 1]) ids.Add(buf[k]);
            ptr[u + 1] = ids.Count;
        }
        return new Exclusions(ptr, ids.ToArray());
    }
}
