namespace Recsys.Tables;

/// <summary>
/// Double hashing (the GraphHash baseline): two universal hash functions h₁, h₂ into one shared table of B rows, and
/// an id's vector is W[h₁(id)] + W[h₂(id)], so two ids collide fully only if both hashes collide. The hash
/// functions are drawn from the context seed.
/// </summary>
public sealed record DoubleHashTableSpec(int Rows) : HashedTableSpec
{
    public override (int[][] Maps, int Rows) Maps(TableContext ctx)
    {
        int b = Math.Min(Rows, ctx.Count);
        return ([new UniversalHash(HashSeed(ctx, 0)).Map(ctx.Count, b), new UniversalHash(HashSeed(ctx, 1)).Map(ctx.Count, b)], b);
    }

    public override int? RowBudget(int ids) => Math.Min(Rows, ids);
    public override int? RowsFor(int ids) => Math.Min(Rows, ids);

    public override void Validate() { base.Validate(); CheckRows(Rows, nameof(Rows)); }
}
