namespace Recsys.Models;

/// <summary>Layer-0 rows of items with no training interaction ("cold" items), whose own rows BPR never pulls up.</summary>
public enum KgatColdItems
{
    /// <summary>Their own embedding rows, as the paper (trained only as negatives and by TransR).</summary>
    Own,
    /// <summary>
    /// The mean of the layer-0 rows of the warm items that share a KG entity with them (item → entity → item, KG
    /// relations only), weighted by a two-step random walk (uniform over the item's entities, then over each entity's
    /// warm items): knowledge places them among the items users took.
    /// Items without such neighbours keep their own rows.
    /// </summary>
    KgItems,
}
