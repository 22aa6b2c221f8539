using Recsys.Catalog;

namespace Recsys.Tables;

/// <summary>Registration of the table kinds the core implements without graph computations.</summary>
public static class CoreTableKinds
{
    /// <summary>"full": one trainable row per id, initialised as the model's default table (e.g. Xavier for NGCF and KGAT).</summary>
    public static RecsysCatalog AddFullTable(this RecsysCatalog catalog) => catalog.AddTable(new TableKind
    {
        Name = "full", Description = "one trainable row per id", SpecType = typeof(FullTableSpec),
        Create = r => r.ModelDefault as FullTableSpec ?? new FullTableSpec(),
    });
}
