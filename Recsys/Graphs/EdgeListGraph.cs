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
        var a = new List<string>(); var b = new List<string>(); var w = new List<float>(); var lineNo = new List<int>();
        bool anyWeight = false;
        int no = 0;
        foreach (var raw in File.ReadLines(path))
        {
            no++;
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#') continue;
            var f = Split(line);
            if (f.Length < 2) throw new DataFormatException(path, no, null, $"expected two id columns, found {f.Length} field(s).");
            if (f.Length > 3) throw new DataFormatException(path, no, null, $"expected two id columns and an optional weight, found {f.Length} fields.");
            a.Add(f[0]); b.Add(f[1]); lineNo.Add(no);
            if (f.Length == 3)
            {
                anyWeight = true;
                w.Add(float.TryParse(f[2], NumberStyles.Float, CultureInfo.InvariantCulture, out var x) ? x : float.NaN);
            }
            else w.Add(1f);
        }
        if (a.Count == 0) throw new DataFormatException(path, 0, null, "no edges.");

        bool header = hasHeader ?? DetectHeader(a, b);
        int start = header ? 1 : 0;
        for (int e = start; e < a.Count; e++)
            if (anyWeight && (float.IsNaN(w[e]) || w[e] < 0))
                throw new DataFormatException(path, lineNo[e], "weight", "expected a non-negative number.");

        bool allInt = true;
        for (int e = start; e < a.Count && allInt; e++) allInt = IsInt(a[e]) && IsInt(b[e]);

        int m = a.Count - start;
        var src = new int[m]; var dst = new int[m];
        long[]? intIds = null; string[]? strIds = null;
        if (allInt)
        {
            var ia = new long[m]; var ib = new long[m];
            for (int e = 0; e < m; e++) { ia[e] = long.Parse(a[e + start], CultureInfo.InvariantCulture); ib[e] = long.Parse(b[e + start], CultureInfo.InvariantCulture); }
            intIds = ia.Concat(ib).Distinct().Order().ToArray();
            for (int e = 0; e < m; e++) { src[e] = Array.BinarySearch(intIds, ia[e]); dst[e] = Array.BinarySearch(intIds, ib[e]); }
        }
        else
        {
            strIds = a.Skip(start).Concat(b.Skip(start)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
            var index = new Dictionary<string, int>(strIds.Length, StringComparer.Ordinal);
            for (int i = 0; i < strIds.Length; i++) index[strIds[i]] = i;
            for (int e = 0; e < m; e++) { src[e] = index[a[e + start]]; dst[e] = index[b[e + start]]; }
        }
        var weights = w.Skip(start).ToArray();
        int n = intIds?.Length ?? strIds!.Length;
        return new EdgeListGraph(Symmetric(n, src, dst, weights), intIds, strIds);
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

    private static bool DetectHeader(List<string> a, List<string> b)
    {
        if (HeaderNames.Contains(a[0]) && HeaderNames.Contains(b[0])) return true;
        if (IsInt(a[0]) && IsInt(b[0])) return false;
        // A non-numeric first line above numeric data is a header.
        int check = Math.Min(a.Count, 101);
        if (check < 2) return false;
        for (int e = 1; e < check; e++) if (!IsInt(a[e]) || !IsInt(b[e])) return false;
        return true;
    }

    private static bool IsInt(string s) => long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _);

    private static string[] Split(string line)
    {
        char sep = line.Contains(',') ? ',' : line.Contains('\t') ? '\t' : ' ';
        var parts = sep == ' '
            ? line.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            : line.Split(sep);
        for (int i = 0; i < parts.Length; i++) parts[i] = parts[i].Trim().Trim('"');
        return parts;
    }
}
