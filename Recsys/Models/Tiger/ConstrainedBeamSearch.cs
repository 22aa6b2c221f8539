namespace Recsys.Models;

/// <summary>
/// Batched beam search over a <see cref="CodeTrie"/>: every query starts from the root, and at each level every live
/// beam is extended only by the codes its trie node has as children, scored by the sum of the scorer's
/// log-probabilities; each query keeps its best <c>beam</c> prefixes. At the last level, items the query excludes are
/// not extended, so they take no place in the result. The finished beams are items (leaves), best first.
/// Ties keep the earlier beam, then the lower code (deterministic).
/// </summary>
public static class ConstrainedBeamSearch
{
    /// <summary>
    /// The top <paramref name="k"/> items of each of <paramref name="queries"/> queries: row-major [queries, k] item
    /// ids (−1 pads a row when fewer items are reachable) and their sequence log-probabilities (−∞ padding).
    /// </summary>
    /// <param name="trie">The catalog's tuples.</param>
    /// <param name="queries">Number of queries (the scorer's owners are 0..queries − 1).</param>
    /// <param name="beam">Prefixes kept per query at each level; the search uses max(beam, k).</param>
    /// <param name="k">Items returned per query.</param>
    /// <param name="scorer">Log-probabilities of the next level's codes; told which beam each new beam extends.</param>
    /// <param name="exclude">Items query q must not get (null, or one list per query, possibly empty).</param>
    public static (int[] Ids, float[] Scores) Search(CodeTrie trie, int queries, int beam, int k, IBeamStepScorer scorer, IReadOnlyList<int[]>? exclude = null)
    {
        ArgumentNullException.ThrowIfNull(trie);
        ArgumentNullException.ThrowIfNull(scorer);
        if (queries < 0) throw new ArgumentOutOfRangeException(nameof(queries), queries, "must be ≥ 0.");
        if (beam < 1) throw new ArgumentOutOfRangeException(nameof(beam), beam, "must be ≥ 1.");
        if (k < 1) throw new ArgumentOutOfRangeException(nameof(k), k, "must be ≥ 1.");
        if (exclude is not null && exclude.Count != queries) throw new ArgumentException($"{exclude.Count} exclusion lists for {queries} queries.", nameof(exclude));
        int width = Math.Max(beam, k), levels = trie.Width;
        var excluded = exclude?.Select(e => e is { Length: > 0 } ? new HashSet<int>(e) : null).ToArray();
        // Live beams, flattened over queries in query order: owner, the beam of the previous level it extends, trie
        // node, score, prefix codes.
        var owner = new List<int>(); var parent = new List<int>(); var node = new List<int>(); var score = new List<float>();
        var prefix = new List<int>();
        for (int q = 0; q < queries; q++) { owner.Add(q); node.Add(0); score.Add(0f); }
        var candidates = new List<(float Score, int Order, int Beam, int Code, int Node)>();
        for (int t = 0; t < levels; t++)
        {
            int n = owner.Count, card = trie.Cardinalities[t];
            if (n == 0) break;
            var lp = scorer.LogProbs(owner.ToArray(), parent.ToArray(), prefix.ToArray(), t);
            if (lp.Length != (long)n * card) throw new InvalidOperationException($"the scorer returned {lp.Length} log-probabilities for {n} prefixes × {card} codes.");
            var nOwner = new List<int>(); var nParent = new List<int>(); var nNode = new List<int>(); var nScore = new List<float>(); var nPrefix = new List<int>();
            for (int r0 = 0; r0 < n;)
            {
                int q = owner[r0], r1 = r0;
                while (r1 < n && owner[r1] == q) r1++;
                candidates.Clear();
                for (int r = r0; r < r1; r++)
                {
                    var codes = trie.ChildCodes(node[r]);
                    var nodes = trie.ChildNodes(node[r]);
                    for (int j = 0; j < codes.Length; j++)
                    {
                        if (t == levels - 1 && excluded?[q] is { } ex && ex.Contains(trie.ItemAt(nodes[j]))) continue;
                        candidates.Add((score[r] + lp[(long)r * card + codes[j]], candidates.Count, r, codes[j], nodes[j]));
                    }
                }
                candidates.Sort((a, b) => a.Score != b.Score ? b.Score.CompareTo(a.Score) : a.Order.CompareTo(b.Order));
                for (int c = 0; c < Math.Min(width, candidates.Count); c++)
                {
                    var (s, _, r, code, child) = candidates[c];
                    nOwner.Add(q); nParent.Add(r); nNode.Add(child); nScore.Add(s);
                    for (int l = 0; l < t; l++) nPrefix.Add(prefix[r * t + l]);
                    nPrefix.Add(code);
                }
                r0 = r1;
            }
            owner = nOwner; parent = nParent; node = nNode; score = nScore; prefix = nPrefix;
        }
        var ids = new int[(long)queries * k];
        var scores = new float[(long)queries * k];
        Array.Fill(ids, -1);
        Array.Fill(scores, float.NegativeInfinity);
        var filled = new int[queries];
        for (int r = 0; r < owner.Count; r++)
        {
            int q = owner[r];
            if (filled[q] == k) continue;
            ids[q * k + filled[q]] = trie.ItemAt(node[r]);
            scores[q * k + filled[q]] = score[r];
            filled[q]++;
        }
        return (ids, scores);
    }
}
