using System.Diagnostics;
using Recsys.Data.SemanticIds;

namespace Recsys.Embeddings.SemanticIds.Schemes;

/// <summary>
/// Random indexing ("How to Index Item IDs", Hua et al. 2023): every code of every item drawn uniformly from
/// [0, K), seeded. Shares nothing between similar items — the baseline the learned indexes must beat.
/// </summary>
public sealed class RandomIndexer(SemanticIndexSettings settings) : ISemanticIndexer
{
    public const string Name = "random";

    public static SemanticIndexerKind Registration { get; } = new()
    {
        Name = Name, Description = "uniformly random codes (Hua et al. 2023's random indexing)", Reads = "nothing",
        Create = (s, _) => new RandomIndexer(s),
    };

    public string Method => Name;

    public SemanticIndexResult Index(SemanticIndexInput input, IProgress<SemanticIndexProgress>? progress = null, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        settings.Validate(input.NumItems);
        var sw = Stopwatch.StartNew();
        var rng = new Random(settings.Seed);
        var codes = new int[input.NumItems * settings.Levels];
        for (int i = 0; i < codes.Length; i++) codes[i] = rng.Next(settings.Codes);
        var cards = Enumerable.Repeat(settings.Codes, settings.Levels).ToArray();
        return new SemanticIndexResult(SemanticIdCodes.Disambiguate(input.NumItems, cards, codes, Method), sw.Elapsed.TotalSeconds);
    }
}
