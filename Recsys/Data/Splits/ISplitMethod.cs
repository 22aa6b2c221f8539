namespace Recsys.Data.Splits;

/// <summary>Which part of a split a row goes to.</summary>
public enum SplitPart : byte { Train = 0, Valid = 1, Test = 2 }

/// <summary>
/// A way of dividing a list of interactions into train / optional validation / test. Implementations are pure:
/// the same input and options give the same assignment.
/// </summary>
public interface ISplitMethod
{
    /// <summary>Short name written to the dataset's provenance (e.g. "random").</summary>
    string Name { get; }

    /// <summary>Settings written to provenance (e.g. seed, ratios).</summary>
    IReadOnlyDictionary<string, string> Settings { get; }

    /// <summary>The part for each row of <paramref name="all"/> (length all.Count). User ids are in 0..numUsers-1.</summary>
    SplitPart[] Assign(Interactions all, int numUsers);
}

/// <summary>Train / optional validation / test interactions produced by a split; rows keep their input order.</summary>
public sealed record SplitResult(Interactions Train, Interactions? Valid, Interactions Test)
{
    /// <summary>Applies <paramref name="method"/> to <paramref name="all"/>. Valid is null when no row went there.</summary>
    public static SplitResult Of(Interactions all, int numUsers, ISplitMethod method)
    {
        var parts = method.Assign(all, numUsers);
        if (parts.Length != all.Count) throw new InvalidOperationException($"{method.Name} split assigned {parts.Length} rows of {all.Count}.");
        var idx = new List<int>[] { new(all.Count), new(), new() };
        for (int r = 0; r < parts.Length; r++) idx[(int)parts[r]].Add(r);
        Interactions Take(List<int> rows) => all.Select(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(rows));
        return new SplitResult(Take(idx[0]), idx[1].Count > 0 ? Take(idx[1]) : null, Take(idx[2]));
    }
}

/// <summary>Re-splits a whole dataset: all of its train, validation and test interactions, pooled in that order.</summary>
public static class DatasetSplit
{
    /// <summary>
    /// Pools train + valid + test of <paramref name="source"/> and splits them again with <paramref name="method"/>.
    /// Counts, raw ids, knowledge graph and attributes are kept; provenance records the method and its settings.
    /// </summary>
    public static Dataset Apply(Dataset source, ISplitMethod method)
    {
        var all = source.Valid is null
            ? Interactions.Concat(source.Train, source.Test)
            : Interactions.Concat(source.Train, source.Valid, source.Test);
        var s = SplitResult.Of(all, source.NumUsers, method);
        var prov = new Dictionary<string, string>(source.Provenance) { ["split"] = method.Name };
        foreach (var (k, v) in method.Settings) prov["split." + k] = v;
        return source with { Train = s.Train, Valid = s.Valid, Test = s.Test, Provenance = prov };
    }

    /// <summary>
    /// Carves a validation set out of <paramref name="source"/>'s training interactions and keeps its test set fixed
    /// (an official split stays official): <paramref name="method"/> is applied to train alone, and the rows it sends
    /// to validation or test become the validation set. An existing validation set is pooled into train first.
    /// </summary>
    public static Dataset CarveValidation(Dataset source, ISplitMethod method)
    {
        var train = source.Valid is null ? source.Train : Interactions.Concat(source.Train, source.Valid);
        var s = SplitResult.Of(train, source.NumUsers, method);
        var valid = s.Valid is null ? s.Test : Interactions.Concat(s.Valid, s.Test);
        var prov = new Dictionary<string, string>(source.Provenance) { ["valid"] = method.Name + " from train" };
        foreach (var (k, v) in method.Settings) prov["valid." + k] = v;
        return source with { Train = s.Train, Valid = valid.Count > 0 ? valid : null, Provenance = prov };
    }
}
