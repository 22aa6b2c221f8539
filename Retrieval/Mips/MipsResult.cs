namespace Recsys.Retrieval.Mips;

/// <summary>Top-K answer for n queries: row-major [n, K] ids (−1 = padding) and scores (−∞ = padding).</summary>
public sealed record MipsResult(int NumQueries, int K, int[] Ids, float[] Scores)
{
    public ReadOnlySpan<int> IdsOf(int query) => Ids.AsSpan(query * K, K);
    public ReadOnlySpan<float> ScoresOf(int query) => Scores.AsSpan(query * K, K);
}
