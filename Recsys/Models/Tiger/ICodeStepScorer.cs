namespace Recsys.Models;

/// <summary>
/// A <see cref="IBeamStepScorer"/> that reads whole prefixes and keeps nothing between levels: tests implement it
/// with hand-set tables, and the reference decoding of the tests re-runs the full decoder on every prefix.
/// </summary>
public interface ICodeStepScorer : IBeamStepScorer
{
    /// <summary>
    /// Log-probabilities of every code of level <paramref name="level"/> after each of N prefixes: prefix r belongs to
    /// query <paramref name="owners"/>[r] and is <paramref name="prefixes"/>[r·level .. (r+1)·level) (row-major
    /// [N, level]; empty at level 0). Returns row-major [N, cardinality of the level].
    /// </summary>
    float[] LogProbs(ReadOnlySpan<int> owners, ReadOnlySpan<int> prefixes, int level);

    float[] IBeamStepScorer.LogProbs(ReadOnlySpan<int> owners, ReadOnlySpan<int> parents, ReadOnlySpan<int> prefixes, int level) =>
        LogProbs(owners, prefixes, level);
}
