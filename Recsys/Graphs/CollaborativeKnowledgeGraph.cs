using Recsys.Data;

namespace Recsys.Graphs;

/// <summary>
/// KGAT's collaborative knowledge graph (Wang et al., KDD 2019, §2.2): the knowledge graph plus one entity per user,
/// joined to the items the user interacted with in training by the relation "interact".
/// Entity ids: items 0..I-1 (as in the KG), the KG's other entities I..E-1, then users E..E+U-1
/// (<see cref="UserEntity"/>). Relation ids: 0 = "interact", 1..R = the KG relations (KG relation r is r + 1), then,
/// with inverses, "~interact" and "~name" at id + (R + 1).
/// </summary>
public sealed class CollaborativeKnowledgeGraph
{
    /// <summary>Relation id of user → item interactions.</summary>
    public const int InteractRelation = 0;

    private CollaborativeKnowledgeGraph(KnowledgeGraph graph, int numUsers, int numItems, int numKgEntities)
    {
        Graph = graph; NumUsers = numUsers; NumItems = numItems; NumKgEntities = numKgEntities;
    }

    /// <summary>The whole graph over NumKgEntities + NumUsers entities.</summary>
    public KnowledgeGraph Graph { get; }
    public int NumUsers { get; }
    public int NumItems { get; }
    /// <summary>Entities of the source KG (items included); also the entity id of user 0.</summary>
    public int NumKgEntities { get; }
    public int UserOffset => NumKgEntities;
    public int NumEntities => Graph.NumEntities;

    /// <summary>Entity id of user <paramref name="user"/> (= NumKgEntities + user).</summary>
    public int UserEntity(int user) => NumKgEntities + user;
    /// <summary>Relation id in this graph of KG relation <paramref name="kgRelation"/> (= kgRelation + 1).</summary>
    public static int KgRelation(int kgRelation) => kgRelation + 1;

    /// <summary>
    /// Builds the graph from the training interactions and the item knowledge graph (items must be entities
    /// 0..I-1 of <paramref name="kg"/>). KGAT uses <paramref name="addInverse"/> = true.
    /// </summary>
    /// <exception cref="InvalidDataException">The KG has fewer entities than there are items, or a triple is out of range.</exception>
    public static CollaborativeKnowledgeGraph Build(InteractionMatrix train, KnowledgeTriples kg, bool addInverse = true)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(kg);
        if (kg.NumEntities < train.NumItems)
            throw new InvalidDataException($"knowledge graph has {kg.NumEntities} entities but there are {train.NumItems} items; items must be entities 0..{train.NumItems - 1}.");
        int e = kg.NumEntities, n = e + train.NumUsers, m = train.NonZeros + kg.Count;
        var heads = new int[m]; var rels = new int[m]; var tails = new int[m];
        int o = 0;
        for (int u = 0; u < train.NumUsers; u++)
            foreach (var item in train.ItemsOf(u))
            {
                heads[o] = e + u; rels[o] = InteractRelation; tails[o] = item; o++;
            }
        for (int k = 0; k < kg.Count; k++, o++)
        {
            heads[o] = kg.Heads[k]; rels[o] = kg.Relations[k] + 1; tails[o] = kg.Tails[k];
            if ((uint)heads[o] >= (uint)e || (uint)tails[o] >= (uint)e)
                throw new InvalidDataException($"triple {k}: entity {kg.Heads[k]} or {kg.Tails[k]} is outside 0..{e - 1}.");
            if ((uint)kg.Relations[k] >= (uint)kg.NumRelations)
                throw new InvalidDataException($"triple {k}: relation {kg.Relations[k]} is outside 0..{kg.NumRelations - 1}.");
        }
        string[] baseNames = ["interact", .. kg.RelationNames];
        string[] names = addInverse ? [.. baseNames, .. baseNames.Select(s => "~" + s)] : baseNames;
        var g = KnowledgeGraph.FromTriples(n, names, baseNames.Length, heads, rels, tails, addInverse);
        return new CollaborativeKnowledgeGraph(g, train.NumUsers, train.NumItems, e);
    }
}
