namespace Recsys.Tables.SemanticId;

/// <summary>
/// Hybrid table: a semantic-ID table (<see cref="Semantic"/>: unigram, prefix n-gram or pieces) plus one ID row per item,
/// summed, so items with many interactions keep an own row to memorise with while the shared semantic rows carry what
/// similar items learned to rare and unseen ones (and items sharing all L codes get distinct vectors). The ID rows are a
/// full table (one row per item) or, with <see cref="IdRows"/> below the item count, item i's row is a seeded universal
/// hash of i into that many rows. All rows live in one matrix: the semantic rows first, the ID rows after them.
/// </summary>
/// <param name="Semantic">The semantic part (a <see cref="SemanticIdTableSpec"/>; its Init and Std apply to every row).</param>
/// <param name="IdRows">ID rows; null = one per item.</param>
public sealed record HybridTableSpec(EmbeddingTableSpec Semantic, int? IdRows = null) : EmbeddingTableSpec
{
    public override EmbeddingTable Create(TableContext ctx)
    {
        Validate();
        var semantic = (SemanticIdTableSpec)Semantic;
        if (ctx.Side != TableSide.Items)
            throw new ArgumentOutOfRangeException("UserTable", ctx.Side, "semantic-ID tables serve items (a codes file numbers items); use another kind for the user table.");
        var codes = SemanticIdTableSpec.Load(semantic.Codes, semantic.CodesSha256, ctx.Count, ctx.Inputs.Derived);
        var pieces = semantic.Pieces(codes, ctx);
        int b = IdRows is { } r ? Math.Min(r, ctx.Count) : ctx.Count;
        var id = b == ctx.Count ? Enumerable.Range(0, ctx.Count).ToArray() : new UniversalHash(UniversalHash.Derive(ctx.Seed, 1)).Map(ctx.Count, b);
        return new CodeSumTable(pieces.Append(id, b), ctx.Dim, semantic.Init, semantic.Std, UniversalHash.Derive(ctx.Seed, 1000));
    }

    public override int? RowBudget(int ids) => Semantic.RowBudget(ids) + (IdRows is { } r ? Math.Min(r, ids) : ids);

    /// <summary>Throws ArgumentOutOfRangeException naming a bad parameter.</summary>
    public void Validate()
    {
        if (Semantic is not SemanticIdTableSpec s) throw new ArgumentOutOfRangeException(nameof(Semantic), Semantic?.GetType().Name, "the semantic part must be a unigram, n-gram or piece semantic-ID table.");
        s.Validate();
        if (IdRows is < 1) throw new ArgumentOutOfRangeException(nameof(IdRows), IdRows, "must be at least 1.");
    }
}
