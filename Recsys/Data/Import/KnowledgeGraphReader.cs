using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace Recsys.Data.Import;

/// <summary>
/// Reads knowledge-graph triple files: <c>head relation tail</c> per line, separated by spaces or tabs (LF or CRLF).
/// Entity ids (and integer relation ids) obey the <see cref="DenseIds"/> limit, items counting as present entities;
/// a repeated triple is an error naming both lines.
/// </summary>
public static class KnowledgeGraphReader
{
    /// <summary>
    /// KGAT <c>kg_final.txt</c>: all three fields are integer ids. Relation names are the ids as text
    /// (0..max relation id). NumEntities = max(head, tail) + 1, raised to <paramref name="minEntities"/> (the item count).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static KnowledgeTriples ReadIntegerTriples(TextSource src, int minEntities)
    {
        var h = new List<int>(); var r = new List<int>(); var t = new List<int>(); var lines = new List<int>();
        var reader = src.Lines();
        while (reader.Next(out var line))
        {
            var tokens = new TokenReader(line);
            if (!tokens.Next(out var a)) continue;
            long ln = reader.LineNumber;
            int head = IdParser.Parse(a, src, ln, "head");
            int rel = IdParser.Parse(tokens.Next(out var b) ? b : default, src, ln, "relation");
            int tail = IdParser.Parse(tokens.Next(out var c) ? c : default, src, ln, "tail");
            if (tokens.Next(out var extra)) throw src.Error(ln, null, $"expected 3 fields (head relation tail), found more ('{TextSource.Show(extra)}').");
            h.Add(head); r.Add(rel); t.Add(tail); lines.Add((int)ln);
        }
        var lineArray = lines.ToArray();
        var relations = r.ToArray();
        int maxRelation = DenseIds.Check("relation", 0, new IdColumn(src.Path, "relation", relations, lineArray));
        var names = Enumerable.Range(0, maxRelation + 1).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray();
        return Finish(src, h.ToArray(), relations, t.ToArray(), lineArray, minEntities, names, rel => rel.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// KGCN <c>kg.txt</c>: integer head and tail entity ids, relation given by name (e.g. <c>music.artist.origin</c>).
    /// Relation ids are assigned in order of first appearance.
    /// </summary>
    public static KnowledgeTriples ReadNamedRelations(TextSource src, int minEntities)
    {
        var h = new List<int>(); var r = new List<int>(); var t = new List<int>(); var lines = new List<int>();
        var relations = new IdMap();
        var reader = src.Lines();
        while (reader.Next(out var line))
        {
            var tokens = new TokenReader(line);
            if (!tokens.Next(out var a)) continue;
            long ln = reader.LineNumber;
            int head = IdParser.Parse(a, src, ln, "head");
            if (!tokens.Next(out var b)) throw src.Error(ln, "relation", "missing value.");
            int rel = relations.GetOrAdd(Encoding.UTF8.GetString(b));
            int tail = IdParser.Parse(tokens.Next(out var c) ? c : default, src, ln, "tail");
            if (tokens.Next(out var extra)) throw src.Error(ln, null, $"expected 3 fields (head relation tail), found more ('{TextSource.Show(extra)}').");
            h.Add(head); r.Add(rel); t.Add(tail); lines.Add((int)ln);
        }
        var names = relations.RawIds.ToArray();
        return Finish(src, h.ToArray(), r.ToArray(), t.ToArray(), lines.ToArray(), minEntities, names, rel => names[rel]);
    }

    private static KnowledgeTriples Finish(TextSource src, int[] h, int[] r, int[] t, int[] lines, int minEntities,
        string[] relationNames, Func<int, string> relationText)
    {
        int maxEntity = DenseIds.Check("entity", minEntities,
            new IdColumn(src.Path, "head", h, lines), new IdColumn(src.Path, "tail", t, lines));
        RequireUniqueTriples(src, h, r, t, lines, relationText);
        return new KnowledgeTriples(h, r, t, Math.Max(maxEntity + 1, minEntities), relationNames);
    }

    /// <summary>Sorts row indices by (head, tail, relation) and reports the first repeat in file order terms.</summary>
    private static void RequireUniqueTriples(TextSource src, int[] h, int[] r, int[] t, int[] lines, Func<int, string> relationText)
    {
        if (h.Length < 2) return;
        var keys = new (long HeadTail, int Relation, int Row)[h.Length];
        for (int i = 0; i < h.Length; i++) keys[i] = (((long)h[i] << 32) | (uint)t[i], r[i], i);
        Array.Sort(keys);
        int first = -1, second = -1;
        for (int k = 1; k < keys.Length; k++)
        {
            if (keys[k].HeadTail != keys[k - 1].HeadTail || keys[k].Relation != keys[k - 1].Relation) continue;
            // The sort puts the earlier row first; keep the repeat that occurs earliest in the file.
            if (second < 0 || keys[k].Row < second) { first = keys[k - 1].Row; second = keys[k].Row; }
        }
        if (second < 0) return;
        throw src.Error(lines[second], null,
            $"duplicate triple (head {h[second]}, relation {relationText(r[second])}, tail {t[second]}); it already occurs on line {lines[first]}. Repeated records are errors in every importer: remove the repeat.");
    }
}
