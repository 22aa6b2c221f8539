using Recsys.Models;
using Recsys.Tables;

namespace Recsys.Catalog;

/// <summary>
/// An embedding-table kind as the project that implements it describes it: its name (the run.json discriminator and
/// the CLI's <c>--user-table</c> / <c>--item-table</c> value), its spec type, the parameters a front end may set and
/// how a spec is made from them (<see cref="Create"/>, which may look at the data, e.g. to size a budget).
/// </summary>
public sealed record TableKind
{
    public required string Name { get; init; }
    public required string Description { get; init; }
    /// <summary>The concrete <see cref="EmbeddingTableSpec"/> type run.json stores under <see cref="Name"/>.</summary>
    public required Type SpecType { get; init; }
    public IReadOnlyList<KindParameter> Parameters { get; init; } = [];
    public required Func<TableRequest, EmbeddingTableSpec> Create { get; init; }
}

/// <summary>
/// What a <see cref="TableKind"/> gets to make a spec: the side it serves, the parameters given, the model's inputs
/// (for data-dependent defaults), the table the model would build by default on that side (a full table with the
/// model's initialisation) and a writer for notes on chosen defaults.
/// </summary>
public sealed record TableRequest(TableSide Side, KindArguments Arguments, ModelInputs Inputs, EmbeddingTableSpec ModelDefault, TextWriter Log);
