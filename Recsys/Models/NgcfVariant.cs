namespace Recsys.Models;

/// <summary>Which NGCF layer <see cref="Ngcf"/> builds: the paper's equations or the authors' released code.</summary>
public enum NgcfVariant
{
    /// <summary>
    /// The paper (Wang et al. 2019, eq. 7): E' = LeakyReLU((L + I) E W1 + b1 + (L E ⊙ E) W2 + b2),
    /// L = D^-1/2 A D^-1/2; biases start at zero.
    /// </summary>
    Paper,

    /// <summary>
    /// The authors' code, whose runs gave the paper's numbers (TensorFlow, and the PyTorch port it links, which
    /// reproduced Gowalla at Recall@20 0.1557): Â = D^-1 (A + I) (its "norm" adjacency), S = Â E,
    /// E' = LeakyReLU(S W1 + b1 + (E ⊙ S) W2 + b2) with Glorot-uniform biases over [1, d]. The TensorFlow code applies
    /// one LeakyReLU to each term before adding them; this follows the port's single LeakyReLU of the sum.
    /// </summary>
    Code,
}
