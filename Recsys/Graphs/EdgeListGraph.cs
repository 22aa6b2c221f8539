using System.Globalization;
using Recsys.Data;

namespace Recsys.Graphs;

/// <summary>
/// An undirected graph read from an edge-list text file: one edge per line, two id columns (integers or strings),
/// an optional third numeric weight column, separated by commas, tabs or spaces; a header line is optional, and
/// blank lines and lines starting with <c>#</c> are skipped. Node r is the node with the r-th smallest id
/// (numeric order for integer ids, ordinal order for string ids). Each edge u–v adds weight to both A[u,v] and
/// A[v,u] (a self-loop adds it once); repeated edges add up.
/// </summary>
public sealed class EdgeListGraph
{
    private static readonly HashSet<string> HeaderNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "u", "v", "src", "dst", "source", "target", "from", "to", "node", "node1", "node2", "node_1", "node_2",
        "id1", "id2", "head", "tail", "user", "item", "a", "b", "i", "j", "weight", "w",
    };

    private EdgeListGraph(CsrMatrix adjacency, long[]? intIds, string[]? stringIds)
    {
        Adjacency = adjacency; IntIds = intIds; StringIds = stringIds;
    }

    /// <summary>Symmetric weighted adjacency, NodeCount × NodeCount, sorted columns.</summary>
    public CsrMatrix Adjacency { get; }
    /// <summary>Integer id of each node (ascending), when every id in the file was an integer; otherwise null.</summary>
    public long[]? IntIds { get; }
    /// <summary>String id of each node (ordinal ascending), when some id was not an integer; otherwise null.</summary>
    public string[]? StringIds { get; }
    public int NodeCount => Adjacency.Rows;

    /// <summary>The id of node r as text.</summary>
    public string IdText(int r) => IntIds is not null ? IntIds[r].ToString(CultureInfo.InvariantCulture) : StringIds![r];

    /// <summary>Reads <paramref name="path"/>; <paramref name="hasHeader"/> null detects a header (non-numeric first line over numeric data, or common column names).</summary>
    public static EdgeListGraph Read(string path, bool? hasHeader = null)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: file not found.", path);
        var lines = new List<(string Text, int No)>();
        int no = 0;
        foreach (var raw in File.ReadLines(path))
        {
            no++;
            var t = raw.AsSpan().Trim();
            if (t.Length == 0 || t[0] == '#') continue;
            lines.Add((t.Length == raw.Length ? raw : t.ToString(), no));
        }
        if (lines.Count == 0) throw new DataFormatException(path, 0, null, "no edges.");
        var first = Split(lines[0].Text);
        if (first.Length >= 2 && (hasHeader ?? DetectHeader(first, lines))) lines.RemoveAt(0);
        if (lines.Count == 0) throw new DataFormatException(path, 0, null, "no edges.");

        int m = lines.Count;
        var weights = new float[m];
        var fieldA = new long[m]; var fieldB = new long[m];
        bool allInt = true;
        // Fast path: integer ids parsed straight from spans; any non-integer id switches to string ids.
        for (int e = 0; e < m; e++)
        {
            var (text, line) = lines[e];
            var (a, b, w) = Fields(text, path, line);
            weights[e] = w;
            if (allInt && long.TryParse(text.AsSpan(a), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out fieldA[e])
                       && long.TryParse(text.AsSpan(b), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out fieldB[e])) continue;
            allInt = false;
        }
        var src = new int[m]; var dst = new int[m];
        long[]? intIds = null; string[]? strIds = null;
        if (allInt)
        {
            var all = new long[2 * m];
            fieldA.CopyTo(all, 0); fieldB.CopyTo(all, m);
            Array.Sort(all);
            int u = 0;
            for (int i = 0; i < all.Length; i++) if (i == 0 || all[i] != all[i - 1]) all[u++] = all[i];
            intIds = all[..u];
            for (int e = 0; e < m; e++) { src[e] = Array.BinarySearch(intIds, fieldA[e]); dst[e] = Array.BinarySearch(intIds, fieldB[e]); }
        }
        else
        {
            var sa = new string[m]; var sb = new string[m];
            for (int e = 0; e < m; e++)
            {
                var (a, b, _) = Fields(lines[e].Text, path, lines[e].No);
                sa[e] = lines[e].Text[a]; sb[e] = lines[e].Text[b];
            }
            strIds = sa.Concat(sb).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
            var index = new Dictionary<string, int>(strIds.Length, StringComparer.Ordinal);
            for (int i = 0; i < strIds.Length; i++) index[strIds[i]] = i;
            for (int e = 0; e < m; e++) { src[e] = index[sa[e]]; dst[e] = index[sb[e]]; }
        }
        int n = intIds?.Length ?? strIds!.Length;
        return new EdgeListGraph(Symmetric(n, src, dst, weights), intIds, strIds);
    }

    /// <summary>The two id fields and the weight (1 when absent) of one data line.</summary>
    private static (Range A, Range B, float W) Fields(string text, string path, int line)
    {
        var f = Split(text);
        if (f.Length < 2) throw new DataFormatException(path, line, null, $"expected two id columns, found {f.Length} field(s).");
        if (f.Length > 3) throw new DataFormatException(path, line, null, $"expected two id columns and an optional weight, found {f.Length} fields.");
        float w = 1f;
        if (f.Length == 3 && (!float.TryParse(text.AsSpan(f[2]), NumberStyles.Float, CultureInfo.InvariantCulture, out w) || !(w >= 0)))
            throw new DataFormatException(path, line, "weight", "expected a non-negative number.");
        return (f[0], f[1], w);
    }

    /// <summary>The symmetric CSR adjacency of undirected weighted edges (duplicates summed, self-loops once).</summary>
    public static CsrMatrix Symmetric(int n, ReadOnlySpan<int> src, ReadOnlySpan<int> dst, ReadOnlySpan<float> weight)
    {
        var ptr = new int[n + 1];
        for (int e = 0; e < src.Length; e++) { ptr[src[e] + 1]++; if (src[e] != dst[e]) ptr[dst[e] + 1]++; }
        for (int r = 0; r < n; r++) ptr[r + 1] += ptr[r];
        var col = new int[ptr[n]]; var val = new float[ptr[n]];
        var fill = ptr[..^1].ToArray();
        for (int e = 0; e < src.Length; e++)
        {
            int u = src[e], v = dst[e];
            col[fill[u]] = v; val[fill[u]++] = weight[e];
            if (u != v) { col[fill[v]] = u; val[fill[v]++] = weight[e]; }
        }
        // Sort each row by column and merge repeated entries, compacting in place.
        var newPtr = new int[n + 1];
        int o = 0;
        for (int r = 0; r < n; r++)
        {
            int s = ptr[r], len = ptr[r + 1] - s;
            col.AsSpan(s, len).Sort(val.AsSpan(s, len));
            for (int k = s; k < s + len; k++)
            {
                if (o > newPtr[r] && col[o - 1] == col[k]) val[o - 1] += val[k];
                else { col[o] = col[k]; val[o] = val[k]; o++; }
            }
            newPtr[r + 1] = o;
        }
        return new CsrMatrix(n, n, newPtr, col[..o], val[..o]);
    }

    private static bool DetectHeader(Range[] first, List<(string Text, int No)> lines)
    {
        var t = lines[0].Text;
        string a = t[first[0]], b = t[first[1]];
        if (HeaderNames.Contains(a) && HeaderNames.Contains(b)) return true;
        if (IsInt(a) && IsInt(b)) return false;
        // A non-numeric first line above numeric data is a header.
        int check = Math.Min(lines.Count, 101);
        if (check < 2) return false;
        for (int e = 1; e < check; e++)
        {
            var f = Split(lines[e].Text);
            if (f.Length < 2 || !IsInt(lines[e].Text[f[0]]) || !IsInt(lines[e].Text[f[1]])) return false;
        }
        return true;
    }

    private static bool IsInt(ReadOnlySpan<char> s) => long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _);

    /// <summary>Field ranges of a line split at commas, else tabs, else runs of spaces; fields trimmed of blanks and quotes.</summary>
    private static Range[] Split(string line)
    {
        char sep = line.Contains(',') ? ',' : line.Contains('\t') ? '\t' : ' ';
        var r = new List<Range>(3);
        int i = 0;
        while (i <= line.Length)
        {
            int j = line.IndexOf(sep, i);
            if (j < 0) j = line.Length;
            int a = i, b = j;
            while (a < b && (char.IsWhiteSpace(line[a]) || line[a] == '"')) a++;
            while (b > a && (char.IsWhiteSpace(line[b - 1]) || line[b - 1] == '"')) b--;
            if (sep != ' ' || b > a) r.Add(a..b);
            i = j + 1;
        }
        return r.ToArray();
    }
}
