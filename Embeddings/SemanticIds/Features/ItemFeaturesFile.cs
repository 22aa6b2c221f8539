using Recsys.Data;
using Recsys.IO;

namespace Recsys.Embeddings.SemanticIds.Features;

/// <summary>
/// A stand-alone item features file in the dataset folder's <c>item_features.arrow</c> layout
/// (<c>item:int32, features:fixed_size_list&lt;float32&gt;[d]</c>), for features kept outside a dataset folder.
/// </summary>
public static class ItemFeaturesFile
{
    /// <summary>Writes <paramref name="features"/> atomically, rows in item order.</summary>
    public static void Write(string path, ItemFeatures features)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArrowWriter.Write(path,
            ("item", ArrowWriter.Int32Column(Enumerable.Range(0, features.NumItems).ToArray())),
            ("features", ArrowWriter.FloatVectorColumn(features.Values, features.Dim)));
    }

    /// <summary>Reads a features file for a catalog of <paramref name="numItems"/> items (one finite row per item, any order).</summary>
    public static ItemFeatures Read(string path, int numItems)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: features file not found.", path);
        return DatasetFolder.ReadItemFeatures(path, numItems);
    }
}
