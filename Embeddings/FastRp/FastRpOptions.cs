namespace Recsys.Embeddings.FastRp;

/// <summary>
/// Settings of FastRP (Chen et al., "Fast and Accurate Network Embeddings via Very Sparse Random Projection", CIKM 2019).
/// Defaults are the paper's BlogCatalog settings.
/// </summary>
public sealed record FastRpOptions
{
    /// <summary>Embedding dimension d (columns of the random projection).</summary>
    public int Dim { get; init; } = 512;

    /// <summary>Weight αᵢ of the i-th power Aⁱ R (i = 1..q); q = Weights.Length.</summary>
    public IReadOnlyList<float> Weights { get; init; } = [1f, 1f, 7.81f, 45.28f];

    /// <summary>Degree normalisation strength β: row j of R is scaled by deg(j)^β before the first power (0 = off).</summary>
    public float Beta { get; init; } = -0.628f;

    /// <summary>Sparsity s of the projection (non-zero probability 1/s, entries ±√s); null = √n.</summary>
    public double? Sparsity { get; init; }

    /// <summary>L2-normalise the rows of each power before the weighted sum (the paper's "normalization").</summary>
    public bool NormalizePowers { get; init; } = true;

    /// <summary>Standardise each column of the result to zero mean and unit variance (as the reference code does last).</summary>
    public bool Standardize { get; init; } = true;

    public int Seed { get; init; } = 42;

    public void Validate()
    {
        if (Dim <= 0) throw new ArgumentOutOfRangeException(nameof(Dim), Dim, "must be positive.");
        if (Weights is null || Weights.Count == 0) throw new ArgumentOutOfRangeException(nameof(Weights), "needs at least one weight.");
        foreach (var w in Weights)
            if (!float.IsFinite(w)) throw new ArgumentOutOfRangeException(nameof(Weights), w, "weights must be finite.");
        if (!float.IsFinite(Beta)) throw new ArgumentOutOfRangeException(nameof(Beta), Beta, "must be finite.");
        if (Sparsity is { } s && !(s >= 1)) throw new ArgumentOutOfRangeException(nameof(Sparsity), s, "must be at least 1.");
    }
}
