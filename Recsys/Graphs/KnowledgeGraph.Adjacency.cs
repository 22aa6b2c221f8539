namespace Recsys.Graphs;

public sealed partial class KnowledgeGraph
{
    /// <summary>
    /// The relation-agnostic adjacency: entry (h, t) counts the relations of the edges from h to t. With inverse
    /// edges (<see cref="HasInverse"/>) it is symmetric — what FastRP and other untyped graph methods take.
    /// Rows list each tail once, ascending (edges are stored sorted by tail, then relation).
    /// </summary>
    public CsrMatrix Adjacency()
    {
        var ptr = new int[NumEntities + 1];
        var cols = new List<int>(EdgeCount);
        var vals = new List<float>(EdgeCount);
        for (int h = 0; h < NumEntities; h++)
        {
            int last = -1;
            foreach (var t in Neighbors(h))
            {
                if (t == last) { vals[^1] += 1f; continue; }
                cols.Add(t); vals.Add(1f); last = t;
            }
            ptr[h + 1] = cols.Count;
        }
        return new CsrMatrix(NumEntities, NumEntities, ptr, cols.ToArray(), vals.ToArray());
    }
}
