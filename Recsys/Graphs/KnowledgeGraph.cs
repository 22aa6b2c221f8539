using System.Runtime.CompilerServices;
using Recsys.Data;

namespace Recsys.Graphs;

/// <summary>
/// A directed, relation-labelled multigraph over entities 0..NumEntities-1 (item i is entity i, the KGAT convention),
/// stored as CSR by head: edge k runs <see cref="Heads"/>[k] → <see cref="Tails"/>[k] with relation
/// <see cref="Relations"/>[k]; within a head, edges are sorted by (tail, relation) and exact duplicate triples are dropped.
/// Two entities may be joined by several relations. QuikGraph sees it as
/// <c>IBidirectionalGraph&lt;int, STaggedEdge&lt;int, int&gt;&gt;</c> with the relation as the tag.
/// </summary>
public sealed partial class KnowledgeGraph
{
    private KnowledgeGraph(int numEntities, string[] relationNames, int numBaseRelations, int[] rowPtr, int[] tails, int[] relations)
    {
        NumEntities = numEntities; RelationNames = relationNames; NumBaseRelations = numBaseRelations;
        RowPtr = rowPtr; Tails = tails; Relations = relations;
        Heads = new int[tails.Length];
        for (int h = 0; h < numEntities; h++) Heads.AsSpan(rowPtr[h], rowPtr[h + 1] - rowPtr[h]).Fill(h);
    }

    public int NumEntities { get; }
    /// <summary>Relation names by id; with inverses, ids NumBaseRelations.. are "~name" of id − NumBaseRelations.</summary>
    public string[] RelationNames { get; }
    public int NumRelations => RelationNames.Length;
    /// <summary>Relations of the source triples (= NumRelations without inverses, NumRelations / 2 with).</summary>
    public int NumBaseRelations { get; }
    public bool HasInverse => NumRelations == 2 * NumBaseRelations && NumBaseRelations > 0;

    /// <summary>CSR row pointers by head entity, length NumEntities + 1.</summary>
    public int[] RowPtr { get; }
    /// <summary>Head of each edge (expanded from <see cref="RowPtr"/>, for edge-parallel kernels such as KGAT attention).</summary>
    public int[] Heads { get; }
    /// <summary>Tail of each edge (the CSR column ids).</summary>
    public int[] Tails { get; }
    /// <summary>Relation id of each edge.</summary>
    public int[] Relations { get; }
    public int EdgeCount => Tails.Length;

    /// <summary>Tails of the edges leaving <paramref name="head"/>, sorted (repeated when several relations join the pair).</summary>
    public ReadOnlySpan<int> Neighbors(int head) => Tails.AsSpan(RowPtr[head], RowPtr[head + 1] - RowPtr[head]);
    /// <summary>Relations of the edges leaving <paramref name="head"/>, aligned with <see cref="Neighbors"/>.</summary>
    public ReadOnlySpan<int> RelationsOf(int head) => Relations.AsSpan(RowPtr[head], RowPtr[head + 1] - RowPtr[head]);
    public int OutDegreeOf(int head) => RowPtr[head + 1] - RowPtr[head];

    /// <summary>The inverse relation id of <paramref name="relation"/> (requires <see cref="HasInverse"/>).</summary>
    public int Inverse(int relation)
    {
        if (!HasInverse) throw new InvalidOperationException("this knowledge graph was built without inverse relations.");
        return relation < NumBaseRelations ? relation + NumBaseRelations : relation - NumBaseRelations;
    }

    /// <summary>
    /// Builds the graph of <paramref name="kg"/>. With <paramref name="addInverse"/>, every triple (h, r, t) also adds
    /// (t, r + R, h) where R = kg.NumRelations, named "~" + name — KGAT propagates along both directions this way.
    /// </summary>
    /// <exception cref="InvalidDataException">A triple names an entity or relation outside the declared ranges.</exception>
    public static KnowledgeGraph Build(KnowledgeTriples kg, bool addInverse)
    {
        ArgumentNullException.ThrowIfNull(kg);
        int e = kg.NumEntities, nr = kg.NumRelations;
        for (int k = 0; k < kg.Count; k++)
        {
            if ((uint)kg.Heads[k] >= (uint)e || (uint)kg.Tails[k] >= (uint)e)
                throw new InvalidDataException($"triple {k}: entity {kg.Heads[k]} or {kg.Tails[k]} is outside 0..{e - 1}.");
            if ((uint)kg.Relations[k] >= (uint)nr)
                throw new InvalidDataException($"triple {k}: relation {kg.Relations[k]} is outside 0..{nr - 1}.");
        }
        string[] names = addInverse ? [.. kg.RelationNames, .. kg.RelationNames.Select(n => "~" + n)] : kg.RelationNames.ToArray();
        return FromTriples(e, names, nr, kg.Heads, kg.Relations, kg.Tails, addInverse);
    }

    /// <summary>CSR construction from checked triples; <paramref name="addInverse"/> adds (t, r + numBase, h).</summary>
    internal static KnowledgeGraph FromTriples(int numEntities, string[] names, int numBase,
        ReadOnlySpan<int> heads, ReadOnlySpan<int> relations, ReadOnlySpan<int> tails, bool addInverse)
    {
        long total = addInverse ? 2L * heads.Length : heads.Length;
        if (total > Array.MaxLength) throw new ArgumentException($"{total} edges are too many for one CSR graph.");
        var ptr = new int[numEntities + 1];
        for (int k = 0; k < heads.Length; k++)
        {
            ptr[heads[k] + 1]++;
            if (addInverse) ptr[tails[k] + 1]++;
        }
        for (int h = 0; h < numEntities; h++) ptr[h + 1] += ptr[h];
        // One long key per edge, (tail << 32 | relation), so sorting a row orders by tail then relation.
        var keys = new long[total];
        var fill = ptr[..^1].ToArray();
        for (int k = 0; k < heads.Length; k++)
        {
            keys[fill[heads[k]]++] = Key(tails[k], relations[k]);
            if (addInverse) keys[fill[tails[k]]++] = Key(heads[k], relations[k] + numBase);
        }
        var newPtr = new int[numEntities + 1];
        int w = 0;
        for (int h = 0; h < numEntities; h++)
        {
            var row = keys.AsSpan(ptr[h], ptr[h + 1] - ptr[h]);
            row.Sort();
            int rowStart = w;
            foreach (var key in row)
                if (w == rowStart || keys[w - 1] != key) keys[w++] = key;
            newPtr[h + 1] = w;
        }
        var tl = new int[w];
        var rel = new int[w];
        for (int k = 0; k < w; k++) { tl[k] = (int)(keys[k] >> 32); rel[k] = (int)(uint)keys[k]; }
        return new KnowledgeGraph(numEntities, names, numBase, newPtr, tl, rel);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static long Key(int tail, int relation) => ((long)tail << 32) | (uint)relation;

    /// <summary>The (h, r, t) triples of this graph (including inverse edges when present), in CSR order.</summary>
    public KnowledgeTriples ToTriples() =>
        new((int[])Heads.Clone(), (int[])Relations.Clone(), (int[])Tails.Clone(), NumEntities, (string[])RelationNames.Clone());
}
