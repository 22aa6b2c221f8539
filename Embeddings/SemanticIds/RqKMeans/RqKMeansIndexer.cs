using System.Diagnostics;
using Recsys.Data.SemanticIds;
using static TorchSharp.torch;

namespace Recsys.Embeddings.SemanticIds.RqKMeans;

/// <summary>
/// RQ-KMeans: residual k-means on the standardised item features, no autoencoder (the fast alternative to RQ-VAE that
/// snap-research/GRID uses). Level 1 clusters the features into K codewords; level l clusters what the codewords of
/// levels 1..l-1 leave unexplained. An item's code at level l is its cluster there.
/// </summary>
public sealed class RqKMeansIndexer(SemanticIndexSettings settings, RqKMeansOptions options) : ISemanticIndexer
{
    public string Method => RqKMeansKind.Name;

    public SemanticIndexResult Index(SemanticIndexInput input, IProgress<SemanticIndexProgress>? progress = null, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        var features = input.RequireFeatures(Method);
        settings.Validate(features.NumItems);
        options.Validate();
        var sw = Stopwatch.StartNew();
        int n = features.NumItems, levels = settings.Levels;
        using var scope = NewDisposeScope();
        var residual = tensor(StandardizedFeatures.Of(features), [n, features.Dim]);
        var rng = new Random(settings.Seed);
        var codes = new int[n * levels];
        for (int l = 0; l < levels; l++)
        {
            cancel.ThrowIfCancellationRequested();
            progress?.Report(new SemanticIndexProgress($"k-means level {l + 1} of {levels}"));
            var (centroids, assign, _) = KMeans.Fit(residual, settings.Codes, rng, options.Iterations);
            var a = assign.to_type(ScalarType.Int32).data<int>().ToArray();
            for (int i = 0; i < n; i++) codes[i * levels + l] = a[i];
            residual = residual - centroids.index_select(0, assign);
        }
        double error = residual.pow(2).mean().item<float>();
        var cards = Enumerable.Repeat(settings.Codes, levels).ToArray();
        return new SemanticIndexResult(SemanticIdCodes.Disambiguate(n, cards, codes, Method), sw.Elapsed.TotalSeconds) { ReconstructionError = error };
    }
}
