using Recsys.Catalog;
using Recsys.Embeddings.SemanticIds.RqKMeans;

namespace Recsys.Embeddings.SemanticIds.RqVae;

/// <summary>Registration of RQ-VAE (<c>--method rqvae</c>) and its parameters.</summary>
public static class RqVaeKind
{
    public const string Name = "rqvae";

    private static readonly RqVaeOptions Defaults = new();
    public static readonly KindParameter<int> Epochs = KindParameter.Int("epochs", $"RQ-VAE training epochs (default {Defaults.Epochs}).", min: 0);
    public static readonly KindParameter<int> Batch = KindParameter.Int("batch", $"RQ-VAE batch size (default {Defaults.BatchSize}).", min: 1);
    public static readonly KindParameter<double> LearningRate = KindParameter.Double("lr", $"RQ-VAE AdamW learning rate (default {Defaults.LearningRate}).", double.Epsilon, 10);
    public static readonly KindParameter<int> Latent = KindParameter.Int("latent", $"RQ-VAE latent width (default {Defaults.LatentDim}).", min: 1);
    public static readonly KindParameter<double> Beta = KindParameter.Double("beta", $"RQ-VAE commitment weight β (default {Defaults.Beta}).", 0, 100);
    public static readonly KindParameter<LastLevelAssignment> LastLevel = KindParameter.Choice("last-level",
        "RQ-VAE last-level codes: nearest codeword, or balanced (Sinkhorn optimal transport inside prefixes whose items collide; LC-Rec) (default balanced).",
        new Dictionary<string, LastLevelAssignment> { ["nearest"] = LastLevelAssignment.Nearest, ["balanced"] = LastLevelAssignment.Balanced });
    public static readonly KindParameter<double> SinkhornEpsilon = KindParameter.Double("sinkhorn-epsilon",
        $"RQ-VAE balanced last level: Sinkhorn ε relative to a prefix's range of squared distances (default {Defaults.SinkhornEpsilon}).", double.Epsilon, 10);

    public static SemanticIndexerKind Registration { get; } = new()
    {
        Name = Name, Description = "RQ-VAE: encoder MLP, residual quantisation, decoder (TIGER)", Reads = "item features", ReadsFeatures = true,
        Parameters = [Epochs, Batch, LearningRate, Latent, Beta, LastLevel, SinkhornEpsilon, RqKMeansKind.Iterations],
        Create = (s, a) => new RqVaeIndexer(s, new RqVaeOptions
        {
            Epochs = a.GetOr(Epochs, Defaults.Epochs), BatchSize = a.GetOr(Batch, Defaults.BatchSize),
            LearningRate = a.GetOr(LearningRate, Defaults.LearningRate), LatentDim = a.GetOr(Latent, Defaults.LatentDim),
            Beta = a.GetOr(Beta, Defaults.Beta), KMeansIterations = a.GetOr(RqKMeansKind.Iterations, Defaults.KMeansIterations),
            LastLevel = a.GetOr(LastLevel, Defaults.LastLevel), SinkhornEpsilon = a.GetOr(SinkhornEpsilon, Defaults.SinkhornEpsilon),
        }.Validate()),
    };
}
