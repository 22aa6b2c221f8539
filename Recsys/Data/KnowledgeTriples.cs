namespace Recsys.Data;

/// <summary>
/// Knowledge-graph triples (head, relation, tail) over dense entity ids 0..NumEntities-1 and relation ids
/// 0..NumRelations-1. By the KGAT convention, item i of the dataset is entity i.
/// </summary>
public sealed class KnowledgeTriples
{
    public KnowledgeTriples(int[] heads, int[] relations, int[] tails, int numEntities, string[] relationNames)
    {
        if (heads.Length != relations.Length || heads.Length != tails.Length)
            throw new ArgumentException("heads, relations and tails must have equal length.");
        Heads = heads; Relations = relations; Tails = tails;
        NumEntities = numEntities;
        RelationNames = relationNames;
    }

    public int[] Heads { get; }
    public int[] Relations { get; }
    public int[] Tails { get; }
    public int NumEntities { get; }
    public int NumRelations => RelationNames.Length;
    /// <summary>Name of each relation id (the raw id as text when the source has no names).</summary>
    public string[] RelationNames { get; }
    public int Count => Heads.Length;
}
