using System.Globalization;

namespace Recsys.Data.Splits;

/// <summary>Options of <see cref="ColdItemsSplit"/>.</summary>
public sealed record ColdItemsOptions
{
    /// <summary>Share of the catalog's items made cold (rounded half up; at least one item, at most all but one).</summary>
    public double Fraction { get; init; } = 0.1;
    public int Seed { get; init; } = 42;

    public void Validate()
    {
        if (!(Fraction > 0 && Fraction < 1)) throw new ArgumentOutOfRangeException(nameof(Fraction), Fraction, "must be in (0, 1).");
    }
}

/// <summary>
/// The new-item protocol: a seeded share of the catalog's items is removed from training entirely — their training and
/// validation interactions are dropped — while their test interactions are kept, so a test set holds items no model has
/// seen an interaction of ("cold" items, <c>recsys eval --items cold</c>). The items are a uniform sample of the whole
/// catalog (a partial Fisher–Yates shuffle with <see cref="Random"/>(Seed)), so their popularity follows the catalog's;
/// everything else of the dataset (users, test set, raw ids, knowledge graph, attributes, features) is kept.
/// </summary>
public static class ColdItemsSplit
{
    /// <summary>The cold items of a catalog of <paramref name="numItems"/> items, ascending.</summary>
    public static int[] Pick(int numItems, ColdItemsOptions options)
    {
        options.Validate();
        ArgumentOutOfRangeException.ThrowIfLessThan(numItems, 2, nameof(numItems));
        int k = Math.Clamp(UserRows.Portion(numItems, options.Fraction), 1, numItems - 1);
        var order = Enumerable.Range(0, numItems).ToArray();
        var rng = new Random(options.Seed);
        for (int j = 0; j < k; j++)
        {
            int r = rng.Next(j, numItems);
            (order[j], order[r]) = (order[r], order[j]);
        }
        var cold = order[..k];
        Array.Sort(cold);
        return cold;
    }

    /// <summary>
    /// <paramref name="source"/> with the training and validation interactions of <see cref="Pick"/>'s items dropped;
    /// provenance records the fraction, seed, cold item count and dropped interactions.
    /// </summary>
    public static Dataset Apply(Dataset source, ColdItemsOptions options)
    {
        ArgumentNullException.ThrowIfNull(source);
        var cold = new bool[source.NumItems];
        var picked = Pick(source.NumItems, options);
        foreach (var i in picked) cold[i] = true;
        int dropped = 0;
        Interactions Warm(Interactions part)
        {
            var keep = new List<int>(part.Count);
            for (int r = 0; r < part.Count; r++) if (!cold[part.Items[r]]) keep.Add(r);
            dropped += part.Count - keep.Count;
            return part.Select(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(keep));
        }
        var train = Warm(source.Train);
        var valid = source.Valid is null ? null : Warm(source.Valid);
        string F(double v) => v.ToString(CultureInfo.InvariantCulture);
        var prov = new Dictionary<string, string>(source.Provenance)
        {
            ["cold_items.fraction"] = F(options.Fraction),
            ["cold_items.seed"] = options.Seed.ToString(CultureInfo.InvariantCulture),
            ["cold_items.count"] = picked.Length.ToString(CultureInfo.InvariantCulture),
            ["cold_items.dropped_interactions"] = dropped.ToString(CultureInfo.InvariantCulture),
        };
        return source with { Train = train, Valid = valid is { Count: > 0 } ? valid : null, Provenance = prov };
    }
}
