namespace Recsys.Tables;

/// <summary>
/// The "random" hashing baseline of GraphHash: id → id mod B, one shared row per residue (B = min(<see cref="Rows"/>, ids)).
/// Deterministic; the seed only initialises the rows.
/// </summary>
public sealed record RandomHashTableSpec(int Rows) : HashedTableSpec
{
    public override (int[][] Maps, int Rows) Maps(TableContext ctx)
    {
        int b = Math.Min(Rows, ctx.Count);
        var map = new int[ctx.Count];
        for (int i = 0; i < map.Length; i++) map[i] = i % b;
        return ([map], b);
    }

    public override int? RowBudget(int ids) => Math.Min(Rows, ids);
    public override int? RowsFor(int ids) => Math.Min(Rows, ids);

    public override void Validate() { base.Validate(); CheckRows(Rows, nameof(Rows)); }
}
