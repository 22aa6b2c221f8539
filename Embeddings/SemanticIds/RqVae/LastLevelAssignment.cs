namespace Recsys.Embeddings.SemanticIds.RqVae;

/// <summary>How RQ-VAE's last level picks each item's code when the codes are formed.</summary>
public enum LastLevelAssignment
{
    /// <summary>The nearest codeword, as at every other level (TIGER).</summary>
    Nearest,
    /// <summary>
    /// Nearest, except inside prefixes whose items would share a tuple: there the balanced optimal transport of
    /// <see cref="BalancedLastLevel"/> (LC-Rec's uniform semantic mapping) spreads them over the codebook.
    /// </summary>
    Balanced,
}
