using Recsys.Data.SemanticIds;

namespace Recsys.Tables.SemanticId;

/// <summary>
/// Learned-piece semantic-ID table (Singh et al. 2023's best variant): a <see cref="PieceVocabulary"/> of at most
/// <see cref="Rows"/> pieces is learned by BPE over the items' L semantic codes, each item weighted by 1 + its training
/// interactions (so the budget goes where the interactions are: a popular item's codes merge into long pieces, close to an
/// own row, while rare items share short ones; an item without training interactions still counts once), and an item's
/// vector is the sum of its pieces' rows. Deterministic for given codes, budget and training matrix.
/// </summary>
/// <param name="Codes">Path of the codes file.</param>
/// <param name="CodesSha256">SHA-256 of the codes file.</param>
/// <param name="Rows">Vocabulary budget (at least the distinct (level, code) pairs of the codes).</param>
public sealed record PieceTableSpec(string Codes, string CodesSha256, int Rows) : SemanticIdTableSpec(Codes, CodesSha256)
{
    public override PieceMap Pieces(SemanticIdCodes codes, TableContext ctx)
    {
        var vocabulary = Vocabulary(codes, ctx);
        var seg = vocabulary.Segmentation;
        var offsets = new int[seg.Count + 1];
        for (int i = 0; i < seg.Count; i++) offsets[i + 1] = offsets[i] + seg[i].Length;
        return new PieceMap(offsets, seg.SelectMany(s => s).ToArray(), vocabulary.Pieces.Count);
    }

    /// <summary>The vocabulary this spec learns for <paramref name="ctx"/> (once per model inputs).</summary>
    public PieceVocabulary Vocabulary(SemanticIdCodes codes, TableContext ctx) =>
        ctx.Inputs.Derived.GetOrAdd(new VocabularyKey(CodesSha256.ToLowerInvariant(), Rows), () =>
        {
            var degrees = ctx.Train.ItemDegrees();
            return PieceVocabulary.Learn(Sequences(codes), Rows, degrees.Select(d => 1.0 + d).ToArray());
        });

    /// <summary>The L semantic codes of every item (the disambiguation column left out).</summary>
    public static int[][] Sequences(SemanticIdCodes codes) =>
        Enumerable.Range(0, codes.NumItems).Select(i => codes.Of(i)[..codes.Levels].ToArray()).ToArray();

    public override int? RowBudget(int ids) => Rows;

    public override void Validate()
    {
        base.Validate();
        if (Rows < 1) throw new ArgumentOutOfRangeException(nameof(Rows), Rows, "must be at least 1.");
    }

    private sealed record VocabularyKey(string Sha256, int Rows);
}
