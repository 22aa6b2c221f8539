using Recsys.Catalog;
using Recsys.Tables;

namespace Recsys.Embeddings.GraphHash;

/// <summary>
/// Registration of GraphHash and the hashing baselines it is compared with (Wu et al., WWW 2025). The baselines
/// given no <c>table-rows</c> take GraphHash's row count on their side at <c>resolution</c> (default 200), so
/// <c>--user-table random</c> alone compares with <c>--user-table graphhash</c> at the same number of rows.
/// </summary>
public static class HashedTableKinds
{
    public const double DefaultResolution = 200;

    private static readonly KindParameter<int> Rows = KindParameter.Int("table-rows",
        "Rows B of each hashing-baseline table (random, double, frequency, lsh); default: GraphHash's row count at --resolution.", min: 1);
    private static readonly KindParameter<double> Resolution = KindParameter.Double("resolution",
        "Louvain resolution of graphhash / double-graphhash tables, and of the default row count of the baselines (default 200; higher = more rows).", double.Epsilon);

    /// <summary>graphhash, double-graphhash, random, double, frequency and lsh.</summary>
    public static RecsysCatalog AddHashedTables(this RecsysCatalog catalog) => catalog
        .AddTable(new TableKind
        {
            Name = "graphhash", Description = "an id's row is its bipartite Louvain cluster's row", SpecType = typeof(GraphHashTableSpec),
            Parameters = [Resolution], Create = r => new GraphHashTableSpec(r.Arguments.GetOr(Resolution, DefaultResolution)),
        })
        .AddTable(new TableKind
        {
            Name = "double-graphhash", Description = "cluster row plus a hashed row, summed", SpecType = typeof(DoubleGraphHashTableSpec),
            Parameters = [Resolution], Create = r => new DoubleGraphHashTableSpec(r.Arguments.GetOr(Resolution, DefaultResolution)),
        })
        .AddTable(Baseline("random", "id mod B", typeof(RandomHashTableSpec), b => new RandomHashTableSpec(b)))
        .AddTable(Baseline("double", "sum of two universal-hash rows", typeof(DoubleHashTableSpec), b => new DoubleHashTableSpec(b)))
        .AddTable(Baseline("frequency", "frequent ids keep own rows, the rest share id mod B", typeof(FrequencyHashTableSpec), b => new FrequencyHashTableSpec(b)))
        .AddTable(Baseline("lsh", "sign pattern of random hyperplanes over FastRP features", typeof(LshTableSpec), b => new LshTableSpec(b)));

    private static TableKind Baseline(string name, string description, Type spec, Func<int, EmbeddingTableSpec> create) => new()
    {
        Name = name, Description = description, SpecType = spec, Parameters = [Rows, Resolution],
        Create = r => create(RowBudget(r, name)),
    };

    /// <summary>The request's row budget, or GraphHash's row count on its side at the request's resolution (noted in the log).</summary>
    private static int RowBudget(TableRequest r, string kind)
    {
        if (r.Arguments.TryGet(Rows, out var rows)) return rows;
        double resolution = r.Arguments.GetOr(Resolution, DefaultResolution);
        int b = GraphTableInputs.Clusters(r.Inputs, r.Side, resolution, 0).Count;
        r.Log.WriteLine($"{kind} {r.Side.ToString().ToLowerInvariant()} table: {b} rows (GraphHash's row count at resolution {resolution}).");
        return b;
    }
}
