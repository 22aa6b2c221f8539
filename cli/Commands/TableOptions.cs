using System.CommandLine;
using Recsys.Data;
using Recsys.Embeddings.GraphHash;
using Recsys.Models;
using Recsys.Tables;

namespace Recsys.Cli.Commands;

/// <summary>
/// The embedding-table options of <c>recsys train</c>: <c>--user-table</c> / <c>--item-table</c> kinds and their
/// <c>--table-rows B</c> / <c>--resolution R</c>, turned into typed <see cref="EmbeddingTableSpec"/>s. Hashing baselines
/// given no <c>--table-rows</c> take GraphHash's row count on their side at <c>--resolution</c> (default 200), so
/// <c>--user-table random</c> alone compares with <c>--user-table graphhash</c> at the same number of rows.
/// </summary>
internal sealed class TableOptions
{
    public static readonly string[] Kinds = ["full", "graphhash", "double-graphhash", "random", "double", "frequency", "lsh"];
    private const double DefaultResolution = 200;

    public Option<string> UserTable { get; } = Kind("--user-table", "users");
    public Option<string> ItemTable { get; } = Kind("--item-table", "items");
    public Option<int?> Rows { get; } = new("--table-rows") { Description = "Rows B of each hashing-baseline table (random, double, frequency, lsh); default: GraphHash's row count at --resolution." };
    public Option<double?> Resolution { get; } = new("--resolution") { Description = "Louvain resolution of graphhash / double-graphhash tables (default 200; higher = more rows)." };

    public IEnumerable<Option> All => [UserTable, ItemTable, Rows, Resolution];

    private static Option<string> Kind(string name, string side)
    {
        var o = new Option<string>(name) { Description = $"Embedding table of the {side}: {string.Join(" | ", Kinds)}.", DefaultValueFactory = _ => "full" };
        o.AcceptOnlyFromAmong(Kinds);
        return o;
    }

    /// <summary>The model options with the requested tables; notes on chosen row counts go to <paramref name="log"/>.</summary>
    public ModelOptions Apply(ParseResult pr, ModelOptions model, InteractionMatrix train, GraphTableSource graph, TextWriter log)
    {
        int? rows = pr.GetValue(Rows);
        double resolution = pr.GetValue(Resolution) ?? DefaultResolution;
        return model with
        {
            UserTable = Spec(pr.GetValue(UserTable)!, TableSide.Users, model.UserTable, rows, resolution, train, graph, log),
            ItemTable = Spec(pr.GetValue(ItemTable)!, TableSide.Items, model.ItemTable, rows, resolution, train, graph, log),
        };
    }

    private static EmbeddingTableSpec Spec(string kind, TableSide side, EmbeddingTableSpec full, int? rows, double resolution,
                                           InteractionMatrix train, GraphTableSource graph, TextWriter log)
    {
        if (kind is "full") return full;
        if (kind is "graphhash") return new GraphHashTableSpec(resolution);
        if (kind is "double-graphhash") return new DoubleGraphHashTableSpec(resolution);
        int b = rows ?? graph.Clusters(train, side, resolution, 0).Count;
        if (rows is null) log.WriteLine($"{kind} {side.ToString().ToLowerInvariant()} table: {b} rows (GraphHash's row count at resolution {resolution}).");
        return kind switch
        {
            "random" => new RandomHashTableSpec(b),
            "double" => new DoubleHashTableSpec(b),
            "frequency" => new FrequencyHashTableSpec(b),
            "lsh" => new LshTableSpec(b),
            _ => throw new ArgumentException($"unknown table kind '{kind}'."),
        };
    }
}
