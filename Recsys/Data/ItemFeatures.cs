namespace Recsys.Data;

/// <summary>
/// Dense per-item features (e.g. text or image embeddings that RQ-VAE turns into semantic IDs): a row-major
/// [<see cref="NumItems"/>, <see cref="Dim"/>] float32 matrix whose row i describes item i. On disk it is the dataset
/// folder's <c>item_features.arrow</c> (<c>item:int32, features:fixed_size_list&lt;float32&gt;[d]</c>).
/// Immutable by convention: the array is owned by this object and must not be mutated after construction.
/// </summary>
public sealed class ItemFeatures
{
    /// <param name="numItems">Rows (items), ≥ 0.</param>
    /// <param name="dim">Features per item, ≥ 1.</param>
    /// <param name="values">Row-major [numItems, dim]; every value finite.</param>
    /// <exception cref="ArgumentOutOfRangeException">A count is out of range.</exception>
    /// <exception cref="ArgumentException">The length is not numItems × dim, or a value is NaN or infinite (the message names item and column).</exception>
    public ItemFeatures(int numItems, int dim, float[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentOutOfRangeException.ThrowIfNegative(numItems);
        ArgumentOutOfRangeException.ThrowIfLessThan(dim, 1);
        if (values.Length != (long)numItems * dim)
            throw new ArgumentException($"item features hold {values.Length} values, expected {numItems} items × {dim}.", nameof(values));
        int bad = FirstNonFinite(values);
        if (bad >= 0)
            throw new ArgumentException($"item {bad / dim} feature {bad % dim} is {values[bad]}; item features must be finite.", nameof(values));
        NumItems = numItems; Dim = dim; Values = values;
    }

    public int NumItems { get; }
    public int Dim { get; }
    /// <summary>Row-major [NumItems, Dim].</summary>
    public float[] Values { get; }

    /// <summary>The features of <paramref name="item"/> (length <see cref="Dim"/>).</summary>
    public ReadOnlySpan<float> Row(int item)
    {
        if ((uint)item >= (uint)NumItems) throw new ArgumentOutOfRangeException(nameof(item), item, $"items are 0..{NumItems - 1}.");
        return Values.AsSpan(item * Dim, Dim);
    }

    /// <summary>Index of the first NaN or infinity in <paramref name="values"/>, or -1.</summary>
    internal static int FirstNonFinite(ReadOnlySpan<float> values)
    {
        for (int i = 0; i < values.Length; i++)
            if (!float.IsFinite(values[i])) return i;
        return -1;
    }
}
