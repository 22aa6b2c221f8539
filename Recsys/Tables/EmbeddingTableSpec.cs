using System.Text.Json.Serialization;

namespace Recsys.Tables;

/// <summary>
/// Describes which table a model builds for its users or items. Specs are plain data with small parameters (they
/// go into run.json and back); <see cref="Create"/> builds the module from a <see cref="TableContext"/>, where
/// hashed tables find the training data their id → row maps are computed from. New table kinds add a derived
/// record here.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(FullTableSpec), "full")]
[JsonDerivedType(typeof(GraphHashTableSpec), "graphhash")]
[JsonDerivedType(typeof(DoubleGraphHashTableSpec), "double-graphhash")]
[JsonDerivedType(typeof(RandomHashTableSpec), "random")]
[JsonDerivedType(typeof(DoubleHashTableSpec), "double")]
[JsonDerivedType(typeof(FrequencyHashTableSpec), "frequency")]
[JsonDerivedType(typeof(LshTableSpec), "lsh")]
public abstract record EmbeddingTableSpec
{
    /// <summary>Builds a table for ids 0..ctx.Count-1 with rows of width ctx.Dim, initialised from ctx.Seed.</summary>
    public abstract EmbeddingTable Create(TableContext ctx);
}

/// <summary>A <see cref="FullEmbeddingTable"/>.</summary>
public sealed record FullTableSpec(TableInit Init = TableInit.Normal, double Std = 0.1) : EmbeddingTableSpec
{
    public override EmbeddingTable Create(TableContext ctx) => new FullEmbeddingTable(ctx.Count, ctx.Dim, Init, Std, ctx.Seed);
}
