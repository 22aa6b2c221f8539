namespace Recsys.Retrieval.Mips.Hnsw;

/// <summary>The similarity the HNSW graph is built and searched with; results are always re-scored by inner product.</summary>
public enum HnswMetric
{
    /// <summary>Inner product (USearch's <c>ip</c>, distance 1 − x·y): the graph navigates by the MIPS score itself.</summary>
    InnerProduct,
    /// <summary>Cosine (USearch's <c>cos</c>): the graph navigates by angle; useful when item norms vary little.</summary>
    Cosine,
}
