using System.Text.Json.Serialization;

namespace Recsys.Tables;

/// <summary>
/// Describes which table a model builds for its users or items. Specs are plain data (they go into run.json
/// and back), and <see cref="Create"/> builds the module; new table kinds add a derived record here.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(FullTableSpec), "full")]
public abstract record EmbeddingTableSpec
{
    /// <summary>Builds a table for ids 0..count-1 with rows of width <paramref name="dim"/>, initialised from <paramref name="seed"/>.</summary>
    public abstract EmbeddingTable Create(int count, int dim, ulong seed);
}

/// <summary>A <see cref="FullEmbeddingTable"/>.</summary>
public sealed record FullTableSpec(TableInit Init = TableInit.Normal, double Std = 0.1) : EmbeddingTableSpec
{
    public override EmbeddingTable Create(int count, int dim, ulong seed) => new FullEmbeddingTable(count, dim, Init, Std, seed);
}
