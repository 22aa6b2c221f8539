using Recsys.Data;

namespace Recsys.Embeddings.SemanticIds.Features;

/// <summary>One block of item features: a [NumItems, Dim] matrix computed from a dataset (attributes, a graph, a file).</summary>
public interface IItemFeatureBlock
{
    /// <summary>Short name for records ("attributes", "cooccurrence", …).</summary>
    string Name { get; }

    /// <summary>Row-major [data.NumItems, dim] features; row i describes item i.</summary>
    /// <exception cref="ArgumentException">The dataset lacks what the block needs (the message says what).</exception>
    float[] Build(Dataset data, out int dim);
}
