namespace Recsys.Tables.SemanticId;

/// <summary>
/// Hybrid table: a semantic-ID table (<see cref="Semantic"/>: unigram, prefix n-gram or pieces) plus one ID row per item,
/// summed, so items with many interactions keep an own row to memorise with while the shared semantic rows carry what
/// similar items learned to rare and unseen ones (and items sharing all L codes get distinct vectors). The ID rows are a
/// full table (one row per item) or, with <see cref="IdRows"/> below the item count, item i's row is a seeded universal
/// hash of i into that many rows. All rows live in one matrix: the semantic rows first, the ID rows after them.
/// With <see cref="IdMinCount"/> above 0, only items with at least that many training interactions get an ID row; the
/// others are their semantic rows alone. An item that never occurs in training would otherwise add to its codes an ID
/// row that nothing trained (or, where such items are sampled as negatives, one only ever pushed away from users).
/// </summary>
/// <param name="Semantic">The semantic part (a <see cref="SemanticIdTableSpec"/>; its Init and Std apply to every row).</param>
/// <param name="IdRows">ID rows; null = one per item that gets one.</param>
/// <param name="IdMinCount">Training interactions an item needs for an ID row (0 = every item has one).</param>
public sealed record HybridTableSpec(EmbeddingTableSpec Semantic, int? IdRows = null, int IdMinCount = 0) : EmbeddingTableSpec
{
    public override EmbeddingTable Create(TableContext ctx)
    {
        Validate();
        var semantic = (SemanticIdTableSpec)Semantic;
        if (ctx.Side != TableSide.Items)
            throw new ArgumentOutOfRangeException("UserTable", ctx.Side, "semantic-ID tables serve items (a codes file numbers items); use another kind for the user table.");
        var codes = SemanticIdTableSpec.Load(semantic.Codes, semantic.CodesSha256, ctx.Count, ctx.Inputs.Derived);
        var pieces = semantic.Pieces(codes, ctx);
        var owners = IdOwners(ctx);
        int b = IdRows is { } r ? Math.Min(r, owners.Length) : owners.Length;
        var row = b == owners.Length ? Enumerable.Range(0, owners.Length).ToArray() : new UniversalHash(UniversalHash.Derive(ctx.Seed, 1)).Map(owners.Length, b);
        var id = new int[ctx.Count];
        Array.Fill(id, PieceMap.None);
        for (int k = 0; k < owners.Length; k++) id[owners[k]] = row[k];
        return new CodeSumTable(pieces.Append(id, b), ctx.Dim, semantic.Init, semantic.Std, UniversalHash.Derive(ctx.Seed, 1000), contentRows: pieces.Rows);
    }

    /// <summary>The items that get an ID row, ascending (all of them when <see cref="IdMinCount"/> is 0).</summary>
    private int[] IdOwners(TableContext ctx)
    {
        if (IdMinCount == 0) return Enumerable.Range(0, ctx.Count).ToArray();
        var degrees = ctx.Degrees();
        return Enumerable.Range(0, ctx.Count).Where(i => degrees[i] >= IdMinCount).ToArray();
    }

    // With a minimum count the ID rows depend on the training data; the run's recorded rows say how many there were.
    public override int? RowBudget(int ids) => IdMinCount > 0 ? null : Semantic.RowBudget(ids) + (IdRows is { } r ? Math.Min(r, ids) : ids);

    /// <summary>Throws ArgumentOutOfRangeException naming a bad parameter.</summary>
    public void Validate()
    {
        if (Semantic is not SemanticIdTableSpec s) throw new ArgumentOutOfRangeException(nameof(Semantic), Semantic?.GetType().Name, "the semantic part must be a unigram, n-gram or piece semantic-ID table.");
        s.Validate();
        if (IdRows is < 1) throw new ArgumentOutOfRangeException(nameof(IdRows), IdRows, "must be at least 1.");
        if (IdMinCount < 0) throw new ArgumentOutOfRangeException(nameof(IdMinCount), IdMinCount, "must be 0 or more.");
    }
}
