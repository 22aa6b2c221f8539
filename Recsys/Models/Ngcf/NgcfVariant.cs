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
    /// The authors' code as the PyTorch port they link builds it (it reproduced Gowalla at Recall@20 0.1557):
    /// Â = D^-1 (A + I) (the code's "norm" adjacency), S = Â E, E' = LeakyReLU(S W1 + b1 + (E ⊙ S) W2 + b2) with
    /// Glorot-uniform biases over [1, d].
    /// </summary>
    Code,

    /// <summary>
    /// The authors' TensorFlow code, whose runs gave the paper's numbers: <see cref="Code"/>'s adjacency, terms and
    /// biases, but a LeakyReLU on each term before they are added: E' = LeakyReLU(S W1 + b1) + LeakyReLU((E ⊙ S) W2 + b2).
    /// </summary>
    TensorFlow,
}
