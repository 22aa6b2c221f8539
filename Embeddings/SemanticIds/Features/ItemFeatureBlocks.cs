namespace Recsys.Embeddings.SemanticIds.Features;

/// <summary>What the named feature blocks are built with: FastRP width and seed for the graph blocks, the file of the npy block.</summary>
public sealed record FeatureBlockSettings
{
    public int GraphDim { get; init; } = GraphBlock.DefaultOptions.Dim;
    public int Seed { get; init; } = GraphBlock.DefaultOptions.Seed;
    /// <summary>Random-projection width of the attributes block (0 = one column per attribute).</summary>
    public int AttributeDim { get; init; } = 128;
    /// <summary>The vectors of the <c>npy</c> block (.npy, or an embeddings .arrow such as a run's item_embeddings.arrow).</summary>
    public string? VectorsPath { get; init; }
    /// <summary>Optional int32 .npy of the item id of each row of <see cref="VectorsPath"/>.</summary>
    public string? IdsPath { get; init; }
}

/// <summary>The feature blocks by name, as a front end offers them: attributes, cooccurrence, kg, npy.</summary>
public static class ItemFeatureBlocks
{
    private static readonly (string Name, string Description, Func<FeatureBlockSettings, IItemFeatureBlock> Create)[] Known =
    [
        ("attributes", "TF-IDF multi-hot of the item attributes, randomly projected to a dense block", s => new AttributeBlock(s.AttributeDim, s.Seed)),
        ("cooccurrence", "FastRP item rows of the user-item training graph (the co-occurrence signal)", s => new GraphBlock(false, Fast(s))),
        ("kg", "FastRP item rows of the collaborative knowledge graph", s => new GraphBlock(true, Fast(s))),
        ("npy", "item vectors from a file (.npy with ids, or an embeddings .arrow such as a run's item_embeddings.arrow)",
            s => new EmbeddingFileBlock(s.VectorsPath ?? throw new ArgumentException("the npy feature block needs a vectors file.", nameof(FeatureBlockSettings.VectorsPath)), s.IdsPath)),
    ];

    public static IEnumerable<(string Name, string Description)> Names => Known.Select(k => (k.Name, k.Description));

    /// <summary>The block named <paramref name="name"/>; an unknown name is an error listing the known ones.</summary>
    public static IItemFeatureBlock Create(string name, FeatureBlockSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        foreach (var k in Known)
            if (string.Equals(k.Name, name, StringComparison.OrdinalIgnoreCase)) return k.Create(settings);
        throw new ArgumentOutOfRangeException("blocks", name, $"unknown feature block '{name}'; known: {string.Join(", ", Known.Select(k => k.Name))}.");
    }

    private static FastRp.FastRpOptions Fast(FeatureBlockSettings s) => GraphBlock.DefaultOptions with { Dim = s.GraphDim, Seed = s.Seed };
}
