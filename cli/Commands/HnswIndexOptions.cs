using System.CommandLine;
using Recsys.Retrieval.Mips.Hnsw;

namespace Recsys.Cli.Commands;

/// <summary>
/// The HNSW settings of <c>--backend hnsw</c> (and of <c>recsys bench hnsw</c>): <c>--hnsw-m</c>,
/// <c>--ef-construction</c>, <c>--ef-search</c>, <c>--hnsw-metric</c>, <c>--build-threads</c>, and <c>--index-file</c>
/// where a built graph is kept and reused while its fingerprint matches the items.
/// </summary>
internal sealed class HnswIndexOptions
{
    private static readonly HnswOptions D = new();

    public Option<int> Connectivity { get; } = new("--hnsw-m") { Description = "hnsw: M, neighbours per node (2·M on the base layer)", DefaultValueFactory = _ => D.Connectivity };
    public Option<int> ExpansionAdd { get; } = new("--ef-construction") { Description = "hnsw: beam width while building", DefaultValueFactory = _ => D.ExpansionAdd };
    public Option<int> ExpansionSearch { get; } = new("--ef-search") { Description = "hnsw: beam width of a query (recall vs speed)", DefaultValueFactory = _ => D.ExpansionSearch };
    public Option<string> Metric { get; } = MetricOption();
    public Option<int> BuildThreads { get; } = new("--build-threads") { Description = "hnsw: threads inserting items (1 = the same graph every run; more is faster but scheduling-dependent)", DefaultValueFactory = _ => D.BuildThreads };
    public Option<string?> IndexFile { get; } = new("--index-file") { Description = "hnsw: keep the built graph in this file (e.g. RUN/index.usearch) and reuse it while it matches the items and graph options" };

    public IEnumerable<Option> All => [Connectivity, ExpansionAdd, ExpansionSearch, Metric, BuildThreads, IndexFile];

    /// <summary>The graph options, with <paramref name="threads"/> search threads (0 = all cores).</summary>
    public HnswOptions Parse(ParseResult pr, int threads) => new()
    {
        Connectivity = pr.GetValue(Connectivity),
        ExpansionAdd = pr.GetValue(ExpansionAdd),
        ExpansionSearch = pr.GetValue(ExpansionSearch),
        Metric = pr.GetValue(Metric) == "cos" ? HnswMetric.Cosine : HnswMetric.InnerProduct,
        BuildThreads = pr.GetValue(BuildThreads),
        Threads = threads,
    };

    public HnswIndexFactory Factory(ParseResult pr, int threads) => new(Parse(pr, threads), pr.GetValue(IndexFile));

    private static Option<string> MetricOption()
    {
        var o = new Option<string>("--hnsw-metric") { Description = "hnsw: graph similarity, ip (inner product) or cos; results are always re-scored by inner product", DefaultValueFactory = _ => "ip" };
        o.AcceptOnlyFromAmong("ip", "cos");
        return o;
    }
}
