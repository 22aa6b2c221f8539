using System.Runtime.CompilerServices;
using System.Text;

namespace Recsys.Data.Import;

/// <summary>Reads knowledge-graph triple files: <c>head relation tail</c> per line, separated by spaces or tabs.</summary>
public static class KnowledgeGraphReader
{
    /// <summary>
    /// KGAT <c>kg_final.txt</c>: all three fields are integer ids. Relation names are the ids as text
    /// (0..max relation id). NumEntities = max(head, tail) + 1, raised to <paramref name="minEntities"/> (the item count).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static KnowledgeTriples ReadIntegerTriples(TextSource src, int minEntities)
    {
        var h = new List<int>(); var r = new List<int>(); var t = new List<int>();
        int maxEntity = -1, maxRelation = -1;
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
            h.Add(head); r.Add(rel); t.Add(tail);
            maxEntity = Math.Max(maxEntity, Math.Max(head, tail));
            maxRelation = Math.Max(maxRelation, rel);
        }
        var names = Enumerable.Range(0, maxRelation + 1).Select(i => i.ToString()).ToArray();
        return new KnowledgeTriples(h.ToArray(), r.ToArray(), t.ToArray(), Math.Max(maxEntity + 1, minEntities), names);
    }

    /// <summary>
    /// KGCN <c>kg.txt</c>: integer head and tail entity ids, relation given by name (e.g. <c>music.artist.origin</c>).
    /// Relation ids are assigned in order of first appearance.
    /// </summary>
    public static KnowledgeTriples ReadNamedRelations(TextSource src, int minEntities)
    {
        var h = new List<int>(); var r = new List<int>(); var t = new List<int>();
        var relations = new IdMap();
        int maxEntity = -1;
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
            h.Add(head); r.Add(rel); t.Add(tail);
            maxEntity = Math.Max(maxEntity, Math.Max(head, tail));
        }
        return new KnowledgeTriples(h.ToArray(), r.ToArray(), t.ToArray(), Math.Max(maxEntity + 1, minEntities), relations.RawIds.ToArray());
    }
}
