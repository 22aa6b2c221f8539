using Recsys.Embeddings.Dnis;
using Recsys.Tables;
using Recsys.Tests.Tables;

namespace Recsys.Tests.Embeddings.Dnis;

public class DnisTableContractTests : EmbeddingTableContract
{
    protected override EmbeddingTableSpec Spec() => new DnisTableSpec(new FullTableSpec()) { Fractions = [0.2, 0.3, 0.5] };
    protected override int Budget(TableContext ctx) => ctx.Count + 3; // the inner rows and α's three block rows
}

public class DnisOverHashedTableContractTests : EmbeddingTableContract
{
    protected override EmbeddingTableSpec Spec() => new DnisTableSpec(new RandomHashTableSpec(7)) { Fractions = FrequencyBlocks.Equal(4), Budget = null, Threshold = 0.01 };
    protected override int Budget(TableContext ctx) => 7 + 4;
}

public class MixedDimensionTableContractTests : EmbeddingTableContract
{
    protected override EmbeddingTableSpec Spec() => new MixedDimensionTableSpec([0.2, 0.3, 0.5], [[0, 2, 5], [1, 3], [4]]);
    protected override int Budget(TableContext ctx) => ctx.Count; // one (narrow) row per id
}
