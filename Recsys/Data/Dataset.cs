namespace Recsys.Data;

/// <summary>
/// An implicit-feedback dataset with dense ids: train / optional validation / test interactions over
/// <see cref="NumUsers"/> users and <see cref="NumItems"/> items, optional raw-id maps, knowledge graph and
/// item attributes. Immutable; created by importers, splits and <see cref="DatasetFolder"/>.
/// </summary>
public sealed record Dataset
{
    public required string Name { get; init; }
    public required int NumUsers { get; init; }
    public required int NumItems { get; init; }
    public required Interactions Train { get; init; }
    public Interactions? Valid { get; init; }
    public required Interactions Test { get; init; }
    /// <summary>Raw user ids by dense id, when the source had its own ids.</summary>
    public IReadOnlyList<string>? UserRawIds { get; init; }
    /// <summary>Raw item ids by dense id, when the source had its own ids.</summary>
    public IReadOnlyList<string>? ItemRawIds { get; init; }
    public KnowledgeTriples? Knowledge { get; init; }
    /// <summary>Item-attribute pairs (item, attribute id), with attribute names by id.</summary>
    public ItemAttributes? Attributes { get; init; }
    /// <summary>Dense per-item features (<c>item_features.arrow</c>); <see cref="ItemFeatures.NumItems"/> equals <see cref="NumItems"/>.</summary>
    public ItemFeatures? ItemFeatures { get; init; }
    /// <summary>Where the data came from (importer, files, seed) — written to dataset.json.</summary>
    public IReadOnlyDictionary<string, string> Provenance { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// Throws <see cref="InvalidDataException"/> when a count is negative, an id (interaction, KG entity or relation,
    /// attribute item or id) is out of range, a KG item is missing, or the item features cover other items.
    /// </summary>
    public void Validate()
    {
        if (NumUsers < 0 || NumItems < 0)
            throw new InvalidDataException($"Counts must not be negative (users {NumUsers}, items {NumItems}).");
        Check(Train, "train");
        if (Valid is not null) Check(Valid, "valid");
        Check(Test, "test");
        if (Knowledge is not null && Knowledge.NumEntities < NumItems)
            throw new InvalidDataException($"Knowledge graph has {Knowledge.NumEntities} entities but the dataset has {NumItems} items; items must be entities 0..{NumItems - 1}.");
        if (Knowledge is { } kg)
        {
            for (int r = 0; r < kg.Count; r++)
            {
                if ((uint)kg.Heads[r] >= (uint)kg.NumEntities || (uint)kg.Tails[r] >= (uint)kg.NumEntities)
                    throw new InvalidDataException($"Knowledge graph triple {r}: entity {kg.Heads[r]} or {kg.Tails[r]} is outside 0..{kg.NumEntities - 1}.");
                if ((uint)kg.Relations[r] >= (uint)kg.NumRelations)
                    throw new InvalidDataException($"Knowledge graph triple {r}: relation {kg.Relations[r]} is outside 0..{kg.NumRelations - 1}.");
            }
        }
        if (Attributes is { } at)
        {
            for (int r = 0; r < at.Count; r++)
            {
                if ((uint)at.Items[r] >= (uint)NumItems)
                    throw new InvalidDataException($"Item attribute pair {r}: item {at.Items[r]} is outside 0..{NumItems - 1}.");
                if ((uint)at.Attributes[r] >= (uint)at.Names.Length)
                    throw new InvalidDataException($"Item attribute pair {r}: attribute {at.Attributes[r]} is outside 0..{at.Names.Length - 1}.");
            }
        }
        if (ItemFeatures is not null && ItemFeatures.NumItems != NumItems)
            throw new InvalidDataException($"Item features describe {ItemFeatures.NumItems} items but the dataset has {NumItems} items.");
    }

    /// <summary>The training interactions as a users × items CSR matrix; computed on each call.</summary>
    public InteractionMatrix TrainMatrix() => InteractionMatrix.From(Train, NumUsers, NumItems);

    /// <summary>
    /// The training interactions as ordered per-user histories (time order when <see cref="Train"/> has timestamps,
    /// file order otherwise); computed on each call.
    /// </summary>
    public UserHistories Histories() => UserHistories.From(Train, NumUsers, NumItems);

    private void Check(Interactions x, string split)
    {
        for (int r = 0; r < x.Count; r++)
        {
            if ((uint)x.Users[r] >= (uint)NumUsers)
                throw new InvalidDataException($"{split} row {r}: user {x.Users[r]} is outside 0..{NumUsers - 1}.");
            if ((uint)x.Items[r] >= (uint)NumItems)
                throw new InvalidDataException($"{split} row {r}: item {x.Items[r]} is outside 0..{NumItems - 1}.");
        }
    }
}

/// <summary>Item-attribute pairs; attribute ids are dense 0..Names.Length-1.</summary>
public sealed record ItemAttributes(int[] Items, int[] Attributes, string[] Names)
{
    public int Count => Items.Length;
}
