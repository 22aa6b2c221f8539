namespace Recsys.Models.Propagation;

/// <summary>
/// How an NGCF layer combines its two message terms (<see cref="NgcfVariant"/>): whether the node's own embedding
/// joins the neighbour sum in W1's term (the paper's (L + I) E), and whether each term gets its own LeakyReLU of
/// slope <see cref="SplitSlope"/> before they are added (the authors' TensorFlow code) instead of one activation of
/// their sum. With split terms the layer's activation delegate applies only message dropout.
/// </summary>
internal readonly record struct NgcfForm(bool WithSelf, float? SplitSlope)
{
    public static NgcfForm Of(NgcfVariant variant, float slope) => variant switch
    {
        NgcfVariant.Paper => new(true, null),
        NgcfVariant.Code => new(false, null),
        NgcfVariant.TensorFlow => new(false, slope),
        _ => throw new ArgumentOutOfRangeException(nameof(variant), variant, null),
    };

    public bool Split => SplitSlope is not null;

    /// <summary>Rows of a layer's factor tensor [rows, dout] over n nodes: one factor, or planes a₁, a₂ and the dropout mask.</summary>
    public long FactorRows(long n) => Split ? 3 * n : n;
}
