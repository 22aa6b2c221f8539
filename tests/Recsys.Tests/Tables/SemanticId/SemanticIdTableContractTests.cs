using Recsys.Tables;
using Recsys.Tables.SemanticId;

namespace Recsys.Tests.Tables.SemanticId;

/// <summary>
/// The table contract for the semantic-ID kinds, on the item side only (a codes file numbers items; the user side is
/// refused, <see cref="SemanticIdTableTests.UserSideIsRefused"/>), over a 30-item codes grid.
/// </summary>
public abstract class SemanticIdContract : EmbeddingTableContract
{
    protected override IReadOnlyList<TableSide> Served => [TableSide.Items];

    protected static readonly string CodesPath = SidCodes.Grid(30);
    protected static readonly string Sha = SemanticIdTableSpec.Sha256Of(CodesPath);
}

public class UnigramTableContractTests : SemanticIdContract
{
    protected override EmbeddingTableSpec Spec() => new UnigramTableSpec(CodesPath, Sha);
    protected override int Budget(TableContext ctx) => 3 + 4;
}

public class PrefixNgramTableContractTests : SemanticIdContract
{
    protected override EmbeddingTableSpec Spec() => new PrefixNgramTableSpec(CodesPath, Sha);
    protected override int Budget(TableContext ctx) => 3 + 12; // 3 first-level prefixes, 12 two-level ones
}

public class HashedPrefixNgramTableContractTests : SemanticIdContract
{
    protected override EmbeddingTableSpec Spec() => new PrefixNgramTableSpec(CodesPath, Sha, Rows: 5);
    protected override int Budget(TableContext ctx) => 5;
}

public class PieceTableContractTests : SemanticIdContract
{
    protected override EmbeddingTableSpec Spec() => new PieceTableSpec(CodesPath, Sha, Rows: 10);
    protected override int Budget(TableContext ctx) => 10;
}

public class HybridTableContractTests : SemanticIdContract
{
    protected override EmbeddingTableSpec Spec() => new HybridTableSpec(new UnigramTableSpec(CodesPath, Sha) { Init = TableInit.XavierUniform });
    protected override int Budget(TableContext ctx) => 7 + 30;
}

public class HashedHybridTableContractTests : SemanticIdContract
{
    protected override EmbeddingTableSpec Spec() => new HybridTableSpec(new PieceTableSpec(CodesPath, Sha, 9), IdRows: 4);
    protected override int Budget(TableContext ctx) => 9 + 4;
}
