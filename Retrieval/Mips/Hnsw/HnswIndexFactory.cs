namespace Recsys.Retrieval.Mips.Hnsw;

/// <summary>
/// Builds <see cref="HnswIndex"/>es wherever an index is chosen (<see cref="MipsIndexChoice.Factory"/>: eval, retrieve,
/// a fitted recommender). With <see cref="GraphFile"/> the graph is loaded from that file when its fingerprint matches
/// the items (<see cref="HnswIndexFile"/>), and built and saved there otherwise.
/// </summary>
/// <param name="Options">Graph and search settings.</param>
/// <param name="GraphFile">Optional path of a saved graph (e.g. RUN/index.usearch); null = build in memory every time.</param>
public sealed record HnswIndexFactory(HnswOptions Options, string? GraphFile = null) : IMipsIndexFactory
{
    public string Name => "hnsw";

    public IMipsIndex Create(float[] items, int dim) =>
        GraphFile is null ? new HnswIndex(items, dim, Options) : HnswIndexFile.OpenOrBuild(GraphFile, items, dim, Options, out _);
}
