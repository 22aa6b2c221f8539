using System.Text.Json.Serialization;

namespace Recsys.Tables;

/// <summary>
/// The size of a model's user and item embedding tables as built: trainable rows per side
/// (<see cref="IEmbeddingTable.Rows"/>) and the ids they serve. A full table has one row per id, so
/// <see cref="FullRows"/> is the uncompressed size; written to run.json as <c>"tables"</c> for compression reports.
/// </summary>
/// <param name="UserRows">Rows of the user table (users for a full table).</param>
/// <param name="ItemRows">Rows of the item table (items for a full table).</param>
/// <param name="Users">Users the user table answers for.</param>
/// <param name="Items">Items the item table answers for.</param>
public sealed record TableRows(int UserRows, int ItemRows, int Users, int Items)
{
    /// <summary>Trainable scalars of the user table; null in runs recorded before parameter counts.</summary>
    public long? UserParameters { get; init; }
    /// <summary>Trainable scalars of the item table; null in runs recorded before parameter counts.</summary>
    public long? ItemParameters { get; init; }
    /// <summary>Trainable scalars of both tables, when recorded.</summary>
    [JsonIgnore] public long? Parameters => UserParameters + ItemParameters;

    /// <summary>Rows of both tables: <see cref="UserRows"/> + <see cref="ItemRows"/>.</summary>
    public int Rows => UserRows + ItemRows;

    /// <summary>Rows two full tables would have: <see cref="Users"/> + <see cref="Items"/>.</summary>
    public int FullRows => Users + Items;

    /// <summary>Fraction of rows saved against full tables, 1 − Rows / FullRows (0 for full tables).</summary>
    [JsonIgnore] public double Reduction => FullRows == 0 ? 0 : 1 - (double)Rows / FullRows;

    /// <summary>Sizes of two tables built for <paramref name="users"/> and <paramref name="items"/> ids.</summary>
    public static TableRows Of(IEmbeddingTable users, IEmbeddingTable items) =>
        new(users.Rows, items.Rows, users.Count, items.Count) { UserParameters = users.Parameters, ItemParameters = items.Parameters };
}
