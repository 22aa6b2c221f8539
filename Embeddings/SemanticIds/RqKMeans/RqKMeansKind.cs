using Recsys.Catalog;

namespace Recsys.Embeddings.SemanticIds.RqKMeans;

/// <summary>Registration of RQ-KMeans (<c>--method rqkmeans</c>).</summary>
public static class RqKMeansKind
{
    public const string Name = "rqkmeans";

    /// <summary>Lloyd steps per level; shared with RQ-VAE's codebook initialisation under the same name.</summary>
    public static readonly KindParameter<int> Iterations = KindParameter.Int("kmeans-iterations", "Most Lloyd steps of each k-means (default 25).", min: 0);

    public static SemanticIndexerKind Registration { get; } = new()
    {
        Name = Name, Description = "residual k-means on the standardised item features (no autoencoder)", Reads = "item features", ReadsFeatures = true,
        Parameters = [Iterations],
        Create = (s, a) => new RqKMeansIndexer(s, new RqKMeansOptions { Iterations = a.GetOr(Iterations, new RqKMeansOptions().Iterations) }.Validate()),
    };
}
