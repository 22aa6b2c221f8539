namespace Recsys.Retrieval.Mips;

/// <summary>
/// Exact merge of several sorted top-K lists into one (scatter-gather over shards, item-range splits of one scan, and
/// later the fan-in of a distributed index). Each source row is best first under <see cref="TopK"/>'s rule (score
/// descending, ties → lower id) and padded with id −1; sources must hold disjoint ids. The merged row is the best
/// k entries of the union under the same rule, padded with −1 / −∞.
/// <para>
/// Why this is exact: if every source row is that source's own top-k_s (k_s ≥ k, or the source ran out), every entry
/// of the global top-k is in its source's row, because whatever ranks above it within the source ranks above it
/// globally too. With ids offset per source (disjoint item ranges), local order equals global order, so the rule holds
/// after adding the offset.
/// </para>
/// </summary>
public static class TopKMerge
{
    /// <summary>
    /// Merges n queries' rows of several results (each [n, K_s], any K_s ≥ 1) into [n, <paramref name="k"/>].
    /// <paramref name="idOffsets"/> (one per part, or empty for none) is added to each part's real ids — the first
    /// global id of the item range a shard holds.
    /// </summary>
    public static MipsResult Merge(IReadOnlyList<MipsResult> parts, int k, ReadOnlySpan<int> idOffsets = default)
    {
        ArgumentNullException.ThrowIfNull(parts);
        if (k < 1) throw new ArgumentOutOfRangeException(nameof(k), k, "must be ≥ 1.");
        if (parts.Count == 0) throw new ArgumentException("nothing to merge.", nameof(parts));
        if (!idOffsets.IsEmpty && idOffsets.Length != parts.Count) throw new ArgumentException($"{idOffsets.Length} offsets for {parts.Count} parts.", nameof(idOffsets));
        int n = parts[0].NumQueries;
        foreach (var p in parts)
            if (p.NumQueries != n) throw new ArgumentException($"parts answer {p.NumQueries} and {n} queries.", nameof(parts));
        var ids = new int[(long)n * k];
        var scores = new float[(long)n * k];
        int m = parts.Count;
        Span<int> head = m <= 256 ? stackalloc int[m] : new int[m];
        for (int q = 0; q < n; q++)
        {
            head.Clear();
            var oi = ids.AsSpan(q * k, k);
            var os = scores.AsSpan(q * k, k);
            for (int r = 0; r < k; r++)
            {
                int best = -1, bi = 0; float bs = 0;
                for (int s = 0; s < m; s++)
                {
                    var p = parts[s];
                    if (head[s] >= p.K) continue;
                    int at = q * p.K + head[s];
                    int id = p.Ids[at];
                    if (id < 0) continue;
                    if (!idOffsets.IsEmpty) id += idOffsets[s];
                    float sc = p.Scores[at];
                    if (best < 0 || TopK.Worse(bs, bi, sc, id)) { best = s; bs = sc; bi = id; }
                }
                if (best < 0) { oi[r..].Fill(TopK.PaddingId); os[r..].Fill(float.NegativeInfinity); break; }
                oi[r] = bi; os[r] = bs; head[best]++;
            }
        }
        return new MipsResult(n, k, ids, scores);
    }

    /// <summary>
    /// Merges <paramref name="sources"/> sorted rows of one query held in flat buffers — source s's row is
    /// <paramref name="width"/> entries at offset s·<paramref name="stride"/> of <paramref name="ids"/> /
    /// <paramref name="scores"/> — into <paramref name="outIds"/> / <paramref name="outScores"/> (length k).
    /// Returns the number of real entries.
    /// </summary>
    public static int MergeRow(ReadOnlySpan<int> ids, ReadOnlySpan<float> scores, int sources, int stride, int width,
        Span<int> outIds, Span<float> outScores)
    {
        int k = outIds.Length;
        if (outScores.Length != k) throw new ArgumentException("outIds and outScores differ in length.");
        if (sources < 1 || width < 0 || stride < width) throw new ArgumentOutOfRangeException(nameof(sources));
        if ((long)(sources - 1) * stride + width > Math.Min(ids.Length, scores.Length)) throw new ArgumentException("the source rows overrun the buffers.");
        Span<int> head = sources <= 256 ? stackalloc int[sources] : new int[sources];
        head.Clear();
        for (int r = 0; r < k; r++)
        {
            int best = -1, bi = 0; float bs = 0;
            for (int s = 0; s < sources; s++)
            {
                if (head[s] >= width) continue;
                int at = s * stride + head[s];
                int id = ids[at];
                if (id < 0) continue;
                float sc = scores[at];
                if (best < 0 || TopK.Worse(bs, bi, sc, id)) { best = s; bs = sc; bi = id; }
            }
            if (best < 0)
            {
                outIds[r..].Fill(TopK.PaddingId);
                outScores[r..].Fill(float.NegativeInfinity);
                return r;
            }
            outIds[r] = bi; outScores[r] = bs; head[best]++;
        }
        return k;
    }
}
