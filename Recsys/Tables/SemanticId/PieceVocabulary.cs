namespace Recsys.Tables.SemanticId;

/// <summary>
/// A SentencePiece-style vocabulary of code pieces, learned with byte-pair encoding (BPE) over the items' code sequences
/// c1 … cL (Singh et al. 2023 learn SentencePiece pieces over semantic IDs; BPE is the variant chosen here: greedy,
/// deterministic, no EM). A piece is a contiguous run of codes at fixed levels, e.g. (level 1: 5, level 2: 17). Learning
/// starts from the (level, code) unigrams that occur and repeatedly merges the adjacent pair of pieces with the largest
/// total weight over the items whose sequences hold it (ties: the pair of lower piece ids), each merge adding one piece
/// (as BPE does; a merge that rebuilds an existing piece by another route adds none), until the vocabulary reaches the
/// budget or every item is one piece. Each item's final segmentation is its list of pieces; pieces no item uses any more
/// (merged away entirely) are dropped at the end, so the table has at most the budget's rows.
/// </summary>
public sealed class PieceVocabulary
{
    private PieceVocabulary(IReadOnlyList<Piece> pieces, int[][] segmentation)
    {
        Pieces = pieces; Segmentation = segmentation;
    }

    /// <summary>The vocabulary; piece r is row r of a piece table.</summary>
    public IReadOnlyList<Piece> Pieces { get; }

    /// <summary>Each item's pieces, coarse to fine (indices into <see cref="Pieces"/>).</summary>
    public IReadOnlyList<int[]> Segmentation { get; }

    /// <summary>A run of codes starting at level <see cref="Start"/> (0-based).</summary>
    public sealed record Piece(int Start, int[] Codes)
    {
        public bool Equals(Piece? o) => o is not null && Start == o.Start && Codes.AsSpan().SequenceEqual(o.Codes);
        public override int GetHashCode()
        {
            var h = new HashCode();
            h.Add(Start);
            foreach (var c in Codes) h.Add(c);
            return h.ToHashCode();
        }
        public override string ToString() => $"{Start}:[{string.Join(",", Codes)}]";
    }

    /// <summary>Rows needed before any merge: the distinct (level, code) unigrams of <paramref name="sequences"/>.</summary>
    public static int BaseSize(IReadOnlyList<int[]> sequences) =>
        sequences.SelectMany(s => s.Select((c, l) => ((long)l << 32) | (uint)c)).Distinct().Count();

    /// <summary>
    /// Learns a vocabulary of at most <paramref name="budget"/> pieces over <paramref name="sequences"/> (one per item, all
    /// of one length L ≥ 1) with item weights <paramref name="weights"/> (≥ 0; null = 1 each).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The budget is below <see cref="BaseSize"/>.</exception>
    public static PieceVocabulary Learn(IReadOnlyList<int[]> sequences, int budget, IReadOnlyList<double>? weights = null)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        if (weights is not null && weights.Count != sequences.Count) throw new ArgumentException($"{weights.Count} weights for {sequences.Count} items.", nameof(weights));
        int n = sequences.Count;
        var ids = new Dictionary<Piece, int>();
        var pieces = new List<Piece>();
        int Intern(Piece p)
        {
            if (!ids.TryGetValue(p, out int id)) { ids[p] = id = pieces.Count; pieces.Add(p); }
            return id;
        }
        var seq = new List<int>[n];
        for (int i = 0; i < n; i++)
        {
            seq[i] = new List<int>(sequences[i].Length);
            for (int l = 0; l < sequences[i].Length; l++)
            {
                seq[i].Add(Intern(new Piece(l, [sequences[i][l]])));
            }
        }
        if (budget < pieces.Count) throw new ArgumentOutOfRangeException(nameof(budget), budget, $"the codes hold {pieces.Count} distinct (level, code) pairs; a piece vocabulary needs at least that many rows.");

        // Pair weights, the items holding each pair, and the pairs ordered by (−weight, left, right).
        var weight = new Dictionary<(int, int), double>();
        var holders = new Dictionary<(int, int), HashSet<int>>();
        var order = new SortedSet<(double NegWeight, int A, int B)>();
        double W(int i) => weights?[i] ?? 1;
        void Change((int, int) pair, int item, bool add)
        {
            weight.TryGetValue(pair, out double old);
            if (holders.ContainsKey(pair)) order.Remove((-old, pair.Item1, pair.Item2));
            double now = old + (add ? W(item) : -W(item));
            var set = holders.TryGetValue(pair, out var s) ? s : holders[pair] = new HashSet<int>();
            if (add) set.Add(item); else set.Remove(item);
            if (set.Count == 0) { holders.Remove(pair); weight.Remove(pair); return; }
            weight[pair] = now;
            order.Add((-now, pair.Item1, pair.Item2));
        }
        for (int i = 0; i < n; i++)
            for (int p = 0; p + 1 < seq[i].Count; p++) Change((seq[i][p], seq[i][p + 1]), i, add: true);

        while (pieces.Count < budget && order.Count > 0)
        {
            var (_, a, b) = order.Min;
            int merged = Intern(new Piece(pieces[a].Start, [.. pieces[a].Codes, .. pieces[b].Codes]));
            foreach (int i in holders[(a, b)].Order().ToArray())
            {
                var s = seq[i];
                int p = s.IndexOf(a); // a piece starts at one level, so it occurs once per sequence
                if (p > 0) { Change((s[p - 1], a), i, add: false); Change((s[p - 1], merged), i, add: true); }
                if (p + 2 < s.Count) { Change((b, s[p + 2]), i, add: false); Change((merged, s[p + 2]), i, add: true); }
                Change((a, b), i, add: false);
                s[p] = merged; s.RemoveAt(p + 1);
            }
        }

        // Keep the pieces still in use, renumbered in order of creation.
        var uses = new int[pieces.Count];
        foreach (var s in seq) foreach (var id in s) uses[id]++;
        var keep = new int[pieces.Count];
        var kept = new List<Piece>();
        for (int id = 0; id < pieces.Count; id++)
        {
            keep[id] = uses[id] > 0 ? kept.Count : -1;
            if (uses[id] > 0) kept.Add(pieces[id]);
        }
        return new PieceVocabulary(kept, seq.Select(s => s.Select(id => keep[id]).ToArray()).ToArray());
    }
}
