using static TorchSharp.torch;

namespace Recsys.Embeddings.SemanticIds.RqVae;

/// <summary>
/// The residual vector quantisation of RQ-VAE (Zeghidour et al. 2021; TIGER): level l replaces the residual r_l by its
/// nearest codeword e_l of codebook C_l, and passes r_{l+1} = r_l − sg[e_l] on. Loss per level
/// ‖sg[r] − e‖² + β‖r − sg[e]‖² (each term a mean over elements): the first moves codewords to the residuals, the
/// second commits the encoder to the codewords. The decoder sees ẑ = z + sg[ẑ_q − z], so the reconstruction gradient
/// reaches the encoder unchanged (straight-through).
/// </summary>
public static class ResidualQuantizer
{
    /// <summary>Nearest codeword of each row of <paramref name="r"/> [n, D] in <paramref name="codebook"/> [K, D] (ties to the lower code): codes int64 [n] and codewords [n, D].</summary>
    public static (Tensor Codes, Tensor Codewords) Nearest(Tensor r, Tensor codebook)
    {
        using var _ = no_grad();
        var dist = codebook.pow(2).sum(1).unsqueeze(0) - 2 * r.mm(codebook.t());
        var codes = dist.argmin(1);
        return (codes, codebook.index_select(0, codes));
    }

    /// <summary>‖sg[r] − e‖² + β‖r − sg[e]‖², means over all elements of r [n, D] and the chosen codewords e [n, D].</summary>
    public static Tensor Loss(Tensor r, Tensor e, double beta) =>
        nn.functional.mse_loss(e, r.detach()) + beta * nn.functional.mse_loss(r, e.detach());

    /// <summary>z + sg[zq − z]: the value of zq with the gradient of z.</summary>
    public static Tensor StraightThrough(Tensor z, Tensor zq) => z + (zq - z).detach();

    /// <summary>
    /// Quantises z [n, D] through the codebooks [L, K, D]: the summed codewords ẑ_q [n, D], the codes int64 [n, L], the
    /// summed level losses, and the last residual [n, D].
    /// </summary>
    public static (Tensor Quantized, Tensor Codes, Tensor Loss, Tensor Residual) Quantize(Tensor z, Tensor codebooks, double beta)
    {
        long levels = codebooks.shape[0];
        var r = z;
        Tensor quantized = zeros_like(z), loss = zeros(1, dtype: z.dtype, device: z.device).squeeze();
        var codes = new Tensor[levels];
        for (int l = 0; l < levels; l++)
        {
            var book = codebooks[l];
            var (c, _) = Nearest(r, book);
            var e = book.index_select(0, c);   // with the codebook's gradient
            loss = loss + Loss(r, e, beta);
            quantized = quantized + e;
            codes[l] = c;
            r = r - e.detach();
        }
        return (quantized, stack(codes, 1), loss, r);
    }
}
