namespace Recsys.Models;

/// <summary>
/// The model side of a <see cref="ConstrainedBeamSearch"/>, one call per level: the log-probabilities of the level's
/// codes after each live beam. Besides the prefixes it is told which beam of the previous call each beam extends, so
/// a scorer can keep per-beam state across levels (TIGER's decoder keeps its self-attention keys and values) instead
/// of re-reading whole prefixes. A scorer that needs only the prefixes implements <see cref="ICodeStepScorer"/>.
/// </summary>
public interface IBeamStepScorer
{
    /// <summary>
    /// Log-probabilities of every code of level <paramref name="level"/> after each of N beams: beam r belongs to query
    /// <paramref name="owners"/>[r], extends beam <paramref name="parents"/>[r] of the previous call by one code (empty
    /// at level 0) and has the prefix <paramref name="prefixes"/>[r·level .. (r+1)·level) (row-major [N, level]).
    /// Returns row-major [N, cardinality of the level].
    /// </summary>
    float[] LogProbs(ReadOnlySpan<int> owners, ReadOnlySpan<int> parents, ReadOnlySpan<int> prefixes, int level);
}
