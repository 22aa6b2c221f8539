using System.Diagnostics;
using Recsys.Data;
using Recsys.Data.SemanticIds;

namespace Recsys.Embeddings.SemanticIds.Schemes;

/// <summary>
/// Collaborative indexing ("How to Index Item IDs", Hua et al. 2023): recursive spectral clustering of the item
/// co-occurrence graph. Level 1 splits all items into K clusters (k-means on the <see cref="CoOccurrenceSpectrum"/>
/// embedding with min(K, <see cref="SpectralDim"/>) eigenvectors — as many as clusters, as in Ng, Jordan &amp; Weiss, since
/// with all eigenvectors every item would be equally far from every other); each cluster is split again on its own subgraph for level 2, and so
/// on. A cluster of at most K items is not clustered further: its items are numbered 0, 1, … in id order at that level
/// (Hua et al. stop there too), and deeper levels are 0.
/// </summary>
public sealed class CollaborativeIndexer(SemanticIndexSettings settings) : ISemanticIndexer
{
    public const string Name = "collaborative";
    /// <summary>Most eigenvectors of the spectral embedding.</summary>
    public const int SpectralDim = 32;
    private const int Iterations = 20, KMeansIterations = 25;

    public static SemanticIndexerKind Registration { get; } = new()
    {
        Name = Name, Description = "recursive spectral clustering of the item co-occurrence graph (Hua et al. 2023)", Reads = "training interactions",
        Create = (s, _) => new CollaborativeIndexer(s),
    };

    public string Method => Name;

    public SemanticIndexResult Index(SemanticIndexInput input, IProgress<SemanticIndexProgress>? progress = null, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        var train = input.Train ?? throw new ArgumentException("collaborative indexing clusters the item co-occurrence graph of the training interactions, and there are none.");
        if (train.NumItems != input.NumItems) throw new ArgumentException($"the training matrix covers {train.NumItems} items, the catalog has {input.NumItems}.");
        settings.Validate(input.NumItems);
        var sw = Stopwatch.StartNew();
        int n = input.NumItems, levels = settings.Levels;
        var codes = new int[n * levels];
        int calls = 0;
        progress?.Report(new SemanticIndexProgress("spectral clustering of the co-occurrence graph"));
        void Split(int[] items, int level)
        {
            if (level == levels) return;
            cancel.ThrowIfCancellationRequested();
            if (items.Length <= settings.Codes)
            {
                for (int j = 0; j < items.Length; j++) codes[items[j] * levels + level] = j;
                return;
            }
            int seed = unchecked(settings.Seed * 7919 + calls++);
            var emb = CoOccurrenceSpectrum.Embed(train, items, Math.Min(settings.Codes, SpectralDim), Iterations, seed, out int dim);
            var km = KMeans.Fit(emb, items.Length, dim, settings.Codes, seed, KMeansIterations);
            var members = new List<int>[settings.Codes];
            for (int j = 0; j < items.Length; j++)
            {
                int c = km.Assignments[j];
                codes[items[j] * levels + level] = c;
                (members[c] ??= []).Add(items[j]);
            }
            foreach (var m in members)
                if (m is not null) Split([.. m], level + 1);
        }
        Split(Enumerable.Range(0, n).ToArray(), 0);
        var cards = Enumerable.Repeat(settings.Codes, levels).ToArray();
        return new SemanticIndexResult(SemanticIdCodes.Disambiguate(n, cards, codes, Method), sw.Elapsed.TotalSeconds);
    }
}
