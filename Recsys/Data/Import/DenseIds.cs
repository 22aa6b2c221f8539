namespace Recsys.Data.Import;

/// <summary>
/// One column of dense ids read from a file, with the 1-based line of each id (for error messages); the file spells
/// id <c>i</c> as <c>i + RawBase</c> (1 for 1-based formats).
/// </summary>
public readonly record struct IdColumn(string File, string Field, int[] Ids, int[] Lines, int RawBase = 0);

/// <summary>
/// The limit on formats whose ids are used directly as row numbers (LightGCN / KGAT lists, KGAT and KGCN knowledge
/// graphs, KGCN entity links, 1-based sequences): the largest id must be below <c>2 × distinct + </c><see cref="Slack"/>,
/// where <c>distinct</c> counts the different ids in the files (plus ids known to exist, such as items that are
/// entities). A single huge id would otherwise size every array built from the dataset (an id near 2·10⁹ asks for
/// gigabytes; an id at the int32 limit overflows a count). The check itself allocates only in proportion to the input.
/// </summary>
public static class DenseIds
{
    /// <summary>Ids up to this many beyond twice the distinct count are accepted (small gaps are normal).</summary>
    public const int Slack = 1024;

    /// <summary>
    /// Throws a <see cref="DataFormatException"/> naming the file, line and id when the largest id in
    /// <paramref name="columns"/> is ≥ 2 × distinct + <see cref="Slack"/>. Ids 0..<paramref name="presentBelow"/>-1
    /// count as present whether or not they occur.
    /// </summary>
    /// <returns>The largest id over the columns and <paramref name="presentBelow"/> − 1 (−1 when there are none).</returns>
    public static int Check(string what, int presentBelow, params IdColumn[] columns)
    {
        long total = Math.Max(presentBelow, 0);
        int max = presentBelow - 1, maxCol = -1, maxRow = -1;
        for (int c = 0; c < columns.Length; c++)
        {
            var ids = columns[c].Ids;
            total += ids.Length;
            for (int r = 0; r < ids.Length; r++)
                if (ids[r] > max) { max = ids[r]; maxCol = c; maxRow = r; }
        }
        if (maxCol < 0) return max;
        // distinct ≤ total, so an id this large fails whatever the distinct count: reject before sizing anything by it.
        if (max >= 2 * total + Slack) throw TooLarge(what, columns[maxCol], maxRow, total, "entries");
        var seen = new bool[max + 1];
        for (int i = 0; i < presentBelow; i++) seen[i] = true;
        long distinct = Math.Max(presentBelow, 0);
        foreach (var col in columns)
            foreach (int id in col.Ids)
                if (!seen[id]) { seen[id] = true; distinct++; }
        if (max >= 2 * distinct + Slack) throw TooLarge(what, columns[maxCol], maxRow, distinct, "distinct ids");
        return max;
    }

    private static DataFormatException TooLarge(string what, IdColumn col, int row, long count, string unit) =>
        new(col.File, col.Lines[row], col.Field,
            $"{what} id {(long)col.Ids[row] + col.RawBase} is far beyond the {count} {unit} read; ids in this format are row numbers and must stay below 2 × distinct ids + {Slack}. Renumber the ids densely (0, 1, 2, …).");
}
