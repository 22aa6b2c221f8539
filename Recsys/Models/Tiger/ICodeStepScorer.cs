namespace Recsys.Models;

/// <summary>
/// The model side of a constrained beam search: the log-probabilities of the next level's codes after given prefixes.
/// TIGER's decoder implements it over a batch of encoded histories; tests implement it with hand-set tables.
/// </summary>
public interface ICodeStepScorer
{
    /// <summary>
    /// Log-probabilities of every code of level <paramref name="level"/> after each of N prefixes: prefix r belongs to
    /// query <paramref name="owners"/>[r] and is <paramref name="prefixes"/>[r·level .. (r+1)·level) (row-major
    /// [N, level]; empty at level 0). Returns row-major [N, cardinality of the level].
    /// </summary>
    float[] LogProbs(ReadOnlySpan<int> owners, ReadOnlySpan<int> prefixes, int level);
}
