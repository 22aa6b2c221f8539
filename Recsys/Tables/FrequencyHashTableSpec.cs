namespace Recsys.Tables;

/// <summary>
/// Frequency hashing (the GraphHash baseline): the ⌊<see cref="Cutoff"/>·B⌋ ids with the most training interactions
/// keep their own rows (B−k.. B−1, most frequent first; ties by lower id), every other id shares row id mod (B − k).
/// </summary>
public sealed record FrequencyHashTableSpec(int Rows, double Cutoff = 0.5) : HashedTableSpec
{
    public override (int[][] Maps, int Rows) Maps(TableContext ctx)
    {
        int b = Math.Min(Rows, ctx.Count);
        int k = b == ctx.Count ? b : Math.Min((int)Math.Floor(Cutoff * b), b - 1); // leave ≥ 1 shared row when some ids share
        var degrees = ctx.Degrees();
        var order = Enumerable.Range(0, ctx.Count).ToArray();
        Array.Sort(order, (x, y) => degrees[x] != degrees[y] ? degrees[y].CompareTo(degrees[x]) : x.CompareTo(y));
        var map = new int[ctx.Count];
        Array.Fill(map, -1);
        for (int r = 0; r < k; r++) map[order[r]] = b - k + r;
        for (int i = 0; i < map.Length; i++)
            if (map[i] < 0) map[i] = i % (b - k);
        return ([map], b);
    }

    public override int? RowBudget(int ids) => Math.Min(Rows, ids);
    public override int? RowsFor(int ids) => Math.Min(Rows, ids);

    public override void Validate()
    {
        base.Validate();
        CheckRows(Rows, nameof(Rows));
        if (Cutoff is < 0 or > 1 || double.IsNaN(Cutoff)) throw new ArgumentOutOfRangeException(nameof(Cutoff), Cutoff, "must be in [0, 1].");
    }
}
