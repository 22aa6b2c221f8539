using Recsys.Data;

namespace Recsys.Embeddings.SemanticIds;

/// <summary>
/// What an indexer may read about the catalog: dense item features (RQ-VAE, RQ-KMeans), the training interactions as
/// ordered histories and a matrix (sequential, collaborative), and item attributes (category tree). Absent parts are
/// null; an indexer that needs one throws an error naming it.
/// </summary>
public sealed record SemanticIndexInput(int NumItems)
{
    public ItemFeatures? Features { get; init; }
    public UserHistories? Histories { get; init; }
    public InteractionMatrix? Train { get; init; }
    public ItemAttributes? Attributes { get; init; }

    /// <summary>Every part of <paramref name="data"/>, with <paramref name="features"/> replacing the dataset's own item features when given.</summary>
    public static SemanticIndexInput From(Dataset data, ItemFeatures? features = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        var f = features ?? data.ItemFeatures;
        if (f is not null && f.NumItems != data.NumItems)
            throw new ArgumentException($"the item features describe {f.NumItems} items, the dataset '{data.Name}' has {data.NumItems}.", nameof(features));
        return new SemanticIndexInput(data.NumItems)
        {
            Features = f, Histories = data.Histories(), Train = data.TrainMatrix(), Attributes = data.Attributes,
        };
    }

    /// <summary>The features, or an error saying the method needs them.</summary>
    public ItemFeatures RequireFeatures(string method)
    {
        var f = Features ?? throw new ArgumentException(
            $"{method} indexes item features, and there are none: build item_features.arrow with `recsys features` or give a features file.");
        return f.NumItems == NumItems ? f : throw new ArgumentException($"the item features describe {f.NumItems} items, the catalog has {NumItems}.");
    }
}
