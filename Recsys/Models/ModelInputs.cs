using Recsys.Data;

namespace Recsys.Models;

/// <summary>
/// Everything a model factory (<see cref="ModelOptions.Create"/>) and a table spec may read from the data, in one
/// record: the training matrix, the knowledge graph, item attributes and features, ordered user histories, the
/// validation split, and a cache of values
/// derived from these inputs (clusterings, graph features) so that a user and an item table, or a front end sizing a
/// budget and the model it then builds, compute them once. A model takes what it needs and ignores the rest.
/// </summary>
public sealed class ModelInputs
{
    public ModelInputs(string dataName, InteractionMatrix train)
    {
        ArgumentNullException.ThrowIfNull(train);
        DataName = dataName; Train = train;
    }

    /// <summary>Name of the dataset (recorded in run.json's fingerprint).</summary>
    public string DataName { get; }
    /// <summary>Training interactions as a users × items CSR matrix.</summary>
    public InteractionMatrix Train { get; }
    /// <summary>The item knowledge graph (items are entities 0..NumItems-1), or null when the data has none.</summary>
    public KnowledgeTriples? Knowledge { get; init; }
    /// <summary>Sparse item attributes (brand, category), or null.</summary>
    public ItemAttributes? Attributes { get; init; }
    /// <summary>Dense item features (<c>item_features.arrow</c>), or null.</summary>
    public ItemFeatures? ItemFeatures { get; init; }
    /// <summary>Each user's training items in time order (file order without timestamps), or null when not supplied.</summary>
    public UserHistories? Histories { get; init; }
    /// <summary>The validation interactions as a users × items matrix, or null when the data has no validation split.</summary>
    public InteractionMatrix? Valid { get; init; }
    /// <summary>Values computed from these inputs, shared by everything built from them.</summary>
    public DerivedValues Derived { get; } = new();

    public int NumUsers => Train.NumUsers;
    public int NumItems => Train.NumItems;

    /// <summary>The inputs of <paramref name="data"/>: its training matrix and histories, knowledge graph, attributes, features and validation split.</summary>
    public static ModelInputs From(Dataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return new ModelInputs(data.Name, data.TrainMatrix())
        {
            Knowledge = data.Knowledge,
            Attributes = data.Attributes,
            ItemFeatures = data.ItemFeatures,
            Histories = data.Histories(),
            Valid = data.Valid is { Count: > 0 } v ? InteractionMatrix.From(v, data.NumUsers, data.NumItems) : null,
        };
    }
}

/// <summary>
/// A thread-safe memo of values derived from one <see cref="ModelInputs"/>, keyed by value-equal keys (records):
/// <c>inputs.Derived.GetOrAdd(new ClusteringKey(resolution, seed), () => Cluster(...))</c>. Each value is computed once.
/// </summary>
public sealed class DerivedValues
{
    private readonly Dictionary<object, Lazy<object>> _values = new();

    public T GetOrAdd<T>(object key, Func<T> compute) where T : notnull
    {
        Lazy<object> lazy;
        lock (_values)
            if (!_values.TryGetValue(key, out lazy!))
                _values[key] = lazy = new Lazy<object>(() => compute(), LazyThreadSafetyMode.ExecutionAndPublication);
        return (T)lazy.Value;
    }
}
