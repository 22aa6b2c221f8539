using Recsys.Data;
using Recsys.Embeddings.FastRp;

namespace Recsys.Embeddings.SemanticIds;

/// <summary>
/// Item features with every dimension at zero mean and unit variance (constant dimensions only centred) — the input
/// RQ-VAE and RQ-KMeans quantise. Public re-implementations of TIGER saw the codebooks collapse on raw unit-norm
/// inputs; per-dimension standardisation is what kept every code in use.
/// </summary>
public static class StandardizedFeatures
{
    /// <summary>A standardised row-major copy [NumItems, Dim] of <paramref name="features"/>.</summary>
    public static float[] Of(ItemFeatures features)
    {
        ArgumentNullException.ThrowIfNull(features);
        var x = (float[])features.Values.Clone();
        FastRpEmbedder.StandardizeColumns(x, features.NumItems, features.Dim);
        return x;
    }
}
