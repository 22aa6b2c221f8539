using Recsys.Catalog;
using Recsys.Tables;
using static TorchSharp.torch;

namespace Recsys.Tests.Extensibility;

/// <summary>
/// A table kind that lives only in the test assembly: ids i share row ⌊i / Group⌋ of a full table (so it has
/// ⌈Count / Group⌉ rows), registered with its own "tie-group" parameter.
/// </summary>
public sealed record TiedTableSpec(int Group = 2) : EmbeddingTableSpec
{
    public override EmbeddingTable Create(TableContext ctx)
    {
        if (Group < 1) throw new ArgumentOutOfRangeException(nameof(Group), Group, "must be ≥ 1.");
        return new TiedTable(ctx.Count, ctx.Dim, Group, ctx.Seed);
    }

    public override int? RowsFor(int ids) => (ids + Group - 1) / Group;

    private static readonly KindParameter<int> GroupParameter = KindParameter.Int("tie-group", "tied: ids per shared row.", min: 1);

    public static TableKind Registration { get; } = new()
    {
        Name = "tied", Description = "ids i share row i / group (test-only kind)", SpecType = typeof(TiedTableSpec),
        Parameters = [GroupParameter], Create = r => new TiedTableSpec(r.Arguments.GetOr(GroupParameter, 2)),
    };
}

public sealed class TiedTable : EmbeddingTable
{
    private readonly FullEmbeddingTable rows;
    private readonly Tensor row_of;

    public TiedTable(int count, int dim, int group, ulong seed) : base(nameof(TiedTable))
    {
        Count = count; Dim = dim; Rows = (count + group - 1) / group;
        rows = new FullEmbeddingTable(Rows, dim, TableInit.Normal, 0.1, seed);
        row_of = tensor(Enumerable.Range(0, count).Select(i => (long)(i / group)).ToArray());
        RegisterComponents();
    }

    public override int Count { get; }
    public override int Dim { get; }
    public override int Rows { get; }
    public override Tensor Lookup(Tensor ids) => rows.Lookup(Map().index_select(0, ids));
    public override Tensor All() => rows.Lookup(Map());
    private Tensor Map() => named_buffers().First(b => b.name == nameof(row_of)).buffer;
}
