using Recsys.Data.SemanticIds;

namespace Recsys.Tables.SemanticId;

/// <summary>
/// Unigram semantic-ID table (Singh et al. 2023): one row per (level, code) of the L semantic levels — Σₗ Kₗ rows, the
/// cardinalities of the codes file — and item i's vector is Σₗ W[offsetₗ + cₗ(i)]. Every item has L pieces.
/// </summary>
public sealed record UnigramTableSpec(string Codes, string CodesSha256) : SemanticIdTableSpec(Codes, CodesSha256)
{
    public override PieceMap Pieces(SemanticIdCodes codes, TableContext ctx)
    {
        int l = codes.Levels, w = codes.Width;
        var offsets = new int[l + 1];
        for (int level = 0; level < l; level++) offsets[level + 1] = offsets[level] + codes.Cardinalities[level];
        var all = codes.All;
        var rows = new int[codes.NumItems * l];
        for (int i = 0; i < codes.NumItems; i++)
            for (int level = 0; level < l; level++)
                rows[i * l + level] = offsets[level] + all[i * w + level];
        return PieceMap.Fixed(rows, l, offsets[l]);
    }
}
