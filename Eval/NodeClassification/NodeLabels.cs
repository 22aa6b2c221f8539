using System.Globalization;
using Recsys.Data;

namespace Recsys.Eval.NodeClassification;

/// <summary>
/// Multi-label node annotations: for each labelled node (by id text) the sorted indices of its labels, label
/// indices 0..<see cref="LabelNames"/>.Count-1 in order of the labels' sorted names (numeric order when all are integers).
/// </summary>
public sealed record NodeLabels(IReadOnlyList<string> Nodes, int[][] Labels, IReadOnlyList<string> LabelNames)
{
    public int LabelCount => LabelNames.Count;

    /// <summary>
    /// Reads a CSV/TSV of <c>node,label</c> lines (one label per line, a node may repeat); a header is skipped when its
    /// label field is not numeric while the next line's is, or when it reads like column names. Integer node ids are
    /// normalised (<c>007</c> = <c>7</c>) so they match embedding ids.
    /// </summary>
    public static NodeLabels Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: file not found.", path);
        var pairs = new List<(string Node, string Label, int Line)>();
        int no = 0;
        foreach (var raw in File.ReadLines(path))
        {
            no++;
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#') continue;
            char sep = line.Contains(',') ? ',' : line.Contains('\t') ? '\t' : ' ';
            var f = line.Split(sep, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (f.Length != 2) throw new DataFormatException(path, no, null, $"expected 'node,label', found {f.Length} field(s).");
            pairs.Add((NormalizeId(f[0]), f[1], no));
        }
        if (pairs.Count > 1 && LooksLikeHeader(pairs[0], pairs[1])) pairs.RemoveAt(0);
        if (pairs.Count == 0) throw new DataFormatException(path, 0, null, "no labels.");

        bool numeric = pairs.All(p => long.TryParse(p.Label, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _));
        var names = pairs.Select(p => p.Label).Distinct().ToList();
        if (numeric) names.Sort((x, y) => long.Parse(x, CultureInfo.InvariantCulture).CompareTo(long.Parse(y, CultureInfo.InvariantCulture)));
        else names.Sort(StringComparer.Ordinal);
        var labelIndex = names.Select((n, i) => (n, i)).ToDictionary(t => t.n, t => t.i);

        var nodeIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        var lists = new List<SortedSet<int>>();
        foreach (var (node, label, _) in pairs)
        {
            if (!nodeIndex.TryGetValue(node, out int ni)) { ni = nodeIndex[node] = lists.Count; lists.Add([]); }
            lists[ni].Add(labelIndex[label]);
        }
        var nodes = new string[nodeIndex.Count];
        foreach (var (k, v) in nodeIndex) nodes[v] = k;
        return new NodeLabels(nodes, lists.Select(s => s.ToArray()).ToArray(), names);
    }

    /// <summary>Integer ids to their canonical text; other ids unchanged.</summary>
    public static string NormalizeId(string id) =>
        long.TryParse(id, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long v) ? v.ToString(CultureInfo.InvariantCulture) : id;

    private static bool LooksLikeHeader((string Node, string Label, int) first, (string Node, string Label, int) second)
    {
        static bool Num(string s) => long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _);
        string[] names = ["node", "id", "vertex", "label", "labels", "group", "class", "category"];
        if (names.Contains(first.Node.ToLowerInvariant()) && names.Contains(first.Label.ToLowerInvariant())) return true;
        return !Num(first.Label) && Num(second.Label);
    }
}
