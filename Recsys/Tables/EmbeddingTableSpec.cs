namespace Recsys.Tables;

/// <summary>
/// Describes which table a model builds for its users or items. Specs are plain data with small parameters (they
/// go into run.json under the "kind" discriminator of their registered <see cref="Catalog.TableKind"/> and back);
/// <see cref="Create"/> builds the module from a <see cref="TableContext"/>, where hashed tables find the training
/// data their id → row maps are computed from. A new table kind derives a record in its own folder and registers it.
/// </summary>
public abstract record EmbeddingTableSpec
{
    /// <summary>Builds a table for ids 0..ctx.Count-1 with rows of width ctx.Dim, initialised from ctx.Seed.</summary>
    public abstract EmbeddingTable Create(TableContext ctx);

    /// <summary>The row budget the spec was given for <paramref name="ids"/> ids (capped at the ids), or null when it has none.</summary>
    public virtual int? RowBudget(int ids) => null;

    /// <summary>
    /// Rows of the table the spec alone determines for <paramref name="ids"/> ids, or null when they depend on the data
    /// (clustered tables) — for run.json files written before tables recorded their sizes.
    /// </summary>
    public virtual int? RowsFor(int ids) => null;
}

/// <summary>A <see cref="FullEmbeddingTable"/>.</summary>
public sealed record FullTableSpec(TableInit Init = TableInit.Normal, double Std = 0.1) : EmbeddingTableSpec
{
    public override EmbeddingTable Create(TableContext ctx) => new FullEmbeddingTable(ctx.Count, ctx.Dim, Init, Std, ctx.Seed);
    public override int? RowsFor(int ids) => ids;
}
