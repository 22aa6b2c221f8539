namespace Recsys.Tables;

/// <summary>
/// Base of the hashed-table specs: how the shared rows are initialised; each derived spec computes its id → row
/// maps (<see cref="Maps"/>) from the <see cref="TableContext"/> and builds a <see cref="HashedEmbeddingTable"/>.
/// The table's weights and its hash functions get independent seeds derived from the context seed.
/// </summary>
public abstract record HashedTableSpec : EmbeddingTableSpec
{
    public TableInit Init { get; init; } = TableInit.Normal;
    public double Std { get; init; } = 0.1;

    /// <summary>The k id → row maps ([k][ctx.Count]) and the number of rows B they index.</summary>
    public abstract (int[][] Maps, int Rows) Maps(TableContext ctx);

    public override EmbeddingTable Create(TableContext ctx)
    {
        Validate();
        var (maps, rows) = Maps(ctx);
        return new HashedEmbeddingTable(maps, rows, ctx.Dim, Init, Std, UniversalHash.Derive(ctx.Seed, 1000));
    }

    /// <summary>Seed of hash function <paramref name="index"/> for this context.</summary>
    protected static ulong HashSeed(TableContext ctx, int index) => UniversalHash.Derive(ctx.Seed, (ulong)index);

    /// <summary>Throws ArgumentOutOfRangeException naming a bad parameter.</summary>
    public virtual void Validate()
    {
        if (!(Std > 0)) throw new ArgumentOutOfRangeException(nameof(Std), Std, "must be positive.");
    }

    /// <summary>Checks a row budget.</summary>
    protected static void CheckRows(int rows, string name)
    {
        if (rows < 1) throw new ArgumentOutOfRangeException(name, rows, "must be at least 1.");
    }
}
